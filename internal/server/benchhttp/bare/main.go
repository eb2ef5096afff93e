// Command bare is the yardstick of `make bench-http`: a bare fiber server
// answering every request with a fixed JSON body of a given size, so the
// hotgrid API's throughput can be read against fiber's own on this machine.
// It is a benchmark helper, not part of hotgrid.
package main

import (
	"bytes"
	"flag"
	"log"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	size := flag.Int("size", 16<<10, "body size in bytes")
	flag.Parse()
	body := append([]byte(`{"pad":"`), bytes.Repeat([]byte("x"), max(*size-11, 0))...)
	body = append(body, `"}`+"\n"...)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/geo+json")
		c.Set(fiber.HeaderETag, `"fixed"`)
		c.Set(fiber.HeaderCacheControl, "private, max-age=300")
		return c.Send(body)
	})
	log.Fatal(app.Listen(*addr))
}
