package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/web"
)

// runServe serves the map page and the API:
//
//	hotgrid serve [--db PATH] [--addr 127.0.0.1:8080] [--basemap URL] [--cors ORIGINS] [--log-level info]
//	              [--secure-cookies] [--session-idle 30m] [--session-max 12h]
//
// With no --db and no HOTGRID_DB it serves the embedded demo data, with the
// demo accounts of serve_auth.go (password DemoPassword). It stops
// gracefully on SIGINT/SIGTERM (ctx from main).
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dbPath := fs.String("db", "", "store: SQLite file or postgres:// URL (default $HOTGRID_DB, else the embedded demo data)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	basemap := fs.String("basemap", env.Getenv("HOTGRID_BASEMAP"), "optional raster basemap URL template, e.g. https://tiles.example/{z}/{x}/{y}.png (default $HOTGRID_BASEMAP)")
	attribution := fs.String("basemap-attribution", env.Getenv("HOTGRID_BASEMAP_ATTRIBUTION"), "attribution shown for the basemap")
	cors := fs.String("cors", env.Getenv("HOTGRID_CORS"), "comma-separated origins allowed to call the API from other sites (default none)")
	level := fs.String("log-level", "info", "log level: debug, info (one line per request), warn or error")
	var lim server.Limits
	fs.Float64Var(&lim.Rate, "rate", server.DefaultRate, "requests per second allowed per client address (token bucket; loopback clients exempt; -1 turns it off)")
	fs.IntVar(&lim.Burst, "rate-burst", server.DefaultBurst, "requests a client may make at once before --rate applies")
	var ao authOptions
	fs.BoolVar(&ao.SecureCookies, "secure-cookies", env.Getenv("HOTGRID_SECURE_COOKIES") == "true", "mark the session cookie Secure (TLS terminated by a proxy)")
	fs.DurationVar(&ao.Idle, "session-idle", auth.DefaultIdle, "sign out after this long without a request")
	fs.DurationVar(&ao.Absolute, "session-max", auth.DefaultAbsolute, "sign out this long after signing in, whatever the activity")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("serve: --log-level: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: lv}))

	var origins []string
	for _, o := range strings.Split(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			if err := server.CheckOrigin(o); err != nil {
				return fmt.Errorf("serve: --cors: %w", err)
			}
			origins = append(origins, o)
		}
	}
	if _, err := server.CheckBasemap(*basemap); err != nil {
		return fmt.Errorf("serve: --basemap: %w", err)
	}
	page, err := web.Dist()
	if err != nil {
		log.Warn("serving the API only", "reason", err.Error())
		page = nil
	}

	log.Info("loading data", "db", *dbPath)
	svc, st, closeSvc, err := openServiceStore(ctx, env, *dbPath)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer closeSvc()
	weights, err := severity.Default()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	backtest := &server.Backtest{Scan: st.ScanOffences, Weights: weights}

	authCfg, demoNote, closeAuth, err := serveAuth(ctx, env, *dbPath, svc, ao, log)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer closeAuth()
	if demoNote != "" {
		fmt.Fprintln(env.Stderr, "hotgrid demo:", demoNote)
	}
	api, err := server.New(server.Config{Service: svc, Static: page, Basemap: *basemap, BasemapAttribution: *attribution,
		AllowOrigins: origins, Version: env.Version, Logger: log, Auth: authCfg, DemoNote: demoNote,
		Wards: data.Wards(), Backtest: backtest})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if r, ok := svc.(reloadNotifier); ok { // new data from another process: drop answers kept from the old
		r.OnReload(api.DataChanged)
	}
	go func() {
		api.Warm(ctx)
		api.WarmAccuracy(ctx)
	}()
	srv := server.NewServer(api, server.Options{LogRequests: lv <= slog.LevelInfo, Logger: log, Limits: lim})
	log.Info("data loaded", "units", len(svc.Units()), "bands", len(svc.Bands()))
	return srv.ListenAndServe(ctx, *addr)
}
