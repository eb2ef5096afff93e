package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Options are the HTTP server's limits.
type Options struct {
	ReadTimeout     time.Duration // default 10s
	WriteTimeout    time.Duration // default 60s (exports can be large)
	IdleTimeout     time.Duration // default 2m
	ShutdownTimeout time.Duration // default 10s
	BodyLimit       int           // bytes; default 4 MiB (patrol CSV uploads)
	// LogRequests logs one structured line per request at Info.
	LogRequests bool
	Logger      *slog.Logger
	// Limits is the per-client request rate limit (limits.go).
	Limits Limits
}

// Server puts an API on the network with fiber.
type Server struct {
	api  *API
	app  *fiber.App
	opts Options
	log  *slog.Logger
}

// NewServer returns a server for api.
func NewServer(api *API, opts Options) *Server {
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = 10 * time.Second
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 60 * time.Second
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 2 * time.Minute
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = 4 << 20
	}
	s := &Server{api: api, opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "hotgrid",
		ReadTimeout:           opts.ReadTimeout,
		WriteTimeout:          opts.WriteTimeout,
		IdleTimeout:           opts.IdleTimeout,
		BodyLimit:             opts.BodyLimit,
		DisableStartupMessage: true,
		ErrorHandler:          s.fiberError,
	})
	if lim := newLimiter(opts.Limits); lim != nil {
		s.app.Use(lim.handler(s))
	}
	s.app.Use(s.handle)
	return s
}

// App returns the fiber app, for app.Test in tests.
func (s *Server) App() *fiber.App { return s.app }

// handle adapts one fiber request to the core.
func (s *Server) handle(c *fiber.Ctx) error {
	start := time.Now()
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	resp := s.api.Serve(c.UserContext(), Request{
		Method:         c.Method(),
		Path:           c.Path(),
		Query:          q,
		IfNoneMatch:    c.Get(fiber.HeaderIfNoneMatch),
		AcceptEncoding: c.Get(fiber.HeaderAcceptEncoding),
		Origin:         c.Get(fiber.HeaderOrigin),
		SessionCookie:  c.Cookies(SessionCookie),
		Authorization:  c.Get(fiber.HeaderAuthorization),
		CSRFToken:      c.Get("X-CSRF-Token"),
		ContentType:    c.Get(fiber.HeaderContentType),
		Body:           c.Body(),
		TLS:            c.Protocol() == "https",
		RemoteAddr:     c.IP(),
	})
	for k, v := range resp.Header {
		c.Set(k, v)
	}
	c.Status(resp.Status)
	if resp.Body != nil {
		c.Response().SetBodyRaw(resp.Body) // cached bodies are never modified
	}
	if s.opts.LogRequests {
		s.log.Info("request", "method", c.Method(), "path", c.Path(), "query", string(c.Context().QueryArgs().QueryString()),
			"status", resp.Status, "bytes", len(resp.Body), "ms", float64(time.Since(start).Microseconds())/1000,
			"remote", c.IP())
	}
	return nil
}

// fiberError answers errors fiber raises itself (a body over the limit, a
// malformed request) in the API's JSON shape.
func (s *Server) fiberError(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code = fe.Code
	}
	msg := err.Error()
	if code >= 500 {
		s.log.Error("request failed", "path", c.Path(), "err", err)
		msg = "internal error"
	}
	for k, v := range s.api.security {
		c.Set(k, v)
	}
	return c.Status(code).JSON(errorBody{Error: msg})
}

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: in-flight requests get ShutdownTimeout to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	s.log.Info("serving", "addr", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.opts.ShutdownTimeout.String())
	if err := s.app.ShutdownWithTimeout(s.opts.ShutdownTimeout); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-errc
	s.log.Info("stopped")
	return nil
}

// ListenAndServe listens on addr (host:port) and serves until ctx is done.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return hotgrid.Errorf(hotgrid.EINVALID, "listen on %s: %v", addr, err)
	}
	return s.Serve(ctx, ln)
}
