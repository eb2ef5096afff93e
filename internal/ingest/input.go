package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip" // a faster drop-in for compress/gzip
)

// memoryLimit is the largest decompressed file kept in memory; larger files
// are spooled to a temporary file, so memory stays bounded whatever the
// input size.
const memoryLimit = 32 << 20

// utf8BOM is the byte-order mark some tools write at the start of a CSV.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// spool is one input file, decompressed, with its SHA-256. The hash must be
// known before the first row is stored (rows without an ID are keyed by it),
// so the input is read once to hash it and then parsed from the spool.
type spool struct {
	data []byte   // the bytes, when they fit in memory
	file *os.File // else a temporary file holding them
	size int64
	hash string
	gzip bool

	buf  *bytes.Buffer      // holds data
	free chan *bytes.Buffer // where Close returns buf for reuse, if set
}

// maxReusedBuffer is the largest spool buffer kept for the next file.
const maxReusedBuffer = 16 << 20

// readSpool decompresses r when it starts with the gzip magic bytes and
// keeps its bytes in memory (up to limit) or in a temporary file, hashing
// them.
func readSpool(r io.Reader, name string, limit int64) (*spool, error) {
	return readSpoolInto(r, name, limit, new(bytes.Buffer), nil)
}

// readSpoolInto is readSpool reading into buf, which Close sends to free
// (when not nil and buf is not too large) so the next file can reuse it:
// growing a new buffer per file costs more than parsing it.
func readSpoolInto(r io.Reader, name string, limit int64, buf *bytes.Buffer, free chan *bytes.Buffer) (*spool, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	buf.Reset()
	s := &spool{buf: buf, free: free}
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		defer zr.Close()
		src, s.gzip = zr, true
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(buf, h), io.LimitReader(src, limit+1))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: read: %w", name, err)
	}
	if n <= limit {
		s.data, s.size = buf.Bytes(), n
	} else if err := s.spill(buf, src, h, name); err != nil {
		s.Close()
		return nil, err
	}
	s.hash = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// spill moves the bytes read so far and the rest of src to a temporary file.
func (s *spool) spill(head *bytes.Buffer, src io.Reader, h io.Writer, name string) error {
	f, err := os.CreateTemp("", "hotgrid-ingest-*.csv")
	if err != nil {
		return fmt.Errorf("%s: spool: %w", name, err)
	}
	os.Remove(f.Name()) // unlinked: gone when closed, whatever happens
	s.file = f
	s.buf = nil // the head is copied to the file: let it go, it is too large to reuse
	n, err := head.WriteTo(f)
	if err != nil {
		f.Close()
		return fmt.Errorf("%s: spool: %w", name, err)
	}
	m, err := io.Copy(io.MultiWriter(f, h), src)
	if err != nil {
		f.Close()
		return fmt.Errorf("%s: read: %w", name, err)
	}
	s.size = n + m
	return nil
}

// readerAt gives random access to the bytes (for raw rejected rows).
func (s *spool) readerAt() io.ReaderAt {
	if s.file != nil {
		return s.file
	}
	return bytes.NewReader(s.data)
}

// bomLen is 3 when the bytes start with a UTF-8 byte-order mark.
func (s *spool) bomLen() int64 {
	var head [3]byte
	if n, _ := s.readerAt().ReadAt(head[:], 0); n == 3 && bytes.Equal(head[:], utf8BOM) {
		return 3
	}
	return 0
}

// body returns a reader of the bytes after any byte-order mark.
func (s *spool) body() *io.SectionReader {
	off := s.bomLen()
	return io.NewSectionReader(s.readerAt(), off, s.size-off)
}

// firstLine returns the first line of the body without its line ending.
func (s *spool) firstLine() string {
	const max = 64 << 10
	body := s.body()
	buf := make([]byte, min(int64(max), body.Size()))
	n, _ := body.ReadAt(buf, 0)
	buf = buf[:n]
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i]
	}
	return string(bytes.TrimSuffix(buf, []byte("\r")))
}

// raw returns the bytes [from, to) of the body, without a trailing line end.
func (s *spool) raw(from, to int64) string {
	if to <= from || to-from > 1<<20 {
		return ""
	}
	b := make([]byte, to-from)
	n, err := s.body().ReadAt(b, from)
	if err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	return string(bytes.TrimRight(b[:n], "\r\n"))
}

// Close removes the temporary file, if any, and hands the buffer on for
// reuse. The spool must not be used after.
func (s *spool) Close() error {
	if s.buf != nil && s.free != nil && s.buf.Cap() <= maxReusedBuffer {
		s.buf.Reset()
		select {
		case s.free <- s.buf:
		default:
		}
	}
	s.buf, s.data = nil, nil
	if s.file != nil {
		return s.file.Close()
	}
	return nil
}
