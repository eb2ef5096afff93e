package ingest

// seenIDs remembers the first line of each Crime ID hash in a file, in an
// open-addressing table with linear probing: 12 bytes a slot at most 3/4
// full, against about 30 for a Go map, since a file of millions of rows
// keeps one entry per row.
type seenIDs struct {
	hashes []uint64 // 0 marks a free slot (a zero hash is stored as 1)
	lines  []int32
	n      int
}

// firstLine returns the line recorded for hash h, or records line for it
// and returns false.
func (s *seenIDs) firstLine(h uint64, line int) (int, bool) {
	if h == 0 {
		h = 1
	}
	if (s.n+1)*4 > len(s.hashes)*3 {
		s.grow()
	}
	i := s.find(h)
	if s.hashes[i] == h {
		return int(s.lines[i]), true
	}
	s.hashes[i], s.lines[i] = h, int32(line)
	s.n++
	return 0, false
}

// find returns the slot holding h or the free slot where it would go.
func (s *seenIDs) find(h uint64) int {
	mask := uint64(len(s.hashes) - 1)
	i := h & mask
	for s.hashes[i] != 0 && s.hashes[i] != h {
		i = (i + 1) & mask
	}
	return int(i)
}

// grow doubles the table (it starts at 1024 slots).
func (s *seenIDs) grow() {
	oh, ol := s.hashes, s.lines
	size := max(1024, 2*len(oh))
	s.hashes, s.lines = make([]uint64, size), make([]int32, size)
	for j, h := range oh {
		if h != 0 {
			i := s.find(h)
			s.hashes[i], s.lines[i] = h, ol[j]
		}
	}
}
