// A Go service's task on Redis, traced by go-redis's own OpenTelemetry hook (redisotel) and exported over
// OTLP/HTTP protobuf: a store with a TTL, a read, a miss, a multi-key write, a WRONGTYPE error, a store with
// no TTL, and a delete of two keys, the same task as ../node/workload.cjs.
// Usage: workload REDIS_PORT OTLP_TRACES_URL   (e.g. http://127.0.0.1:4318/v1/traces)
//
// What redisotel v9.23.0 emits (seen through the memtrace collector): scope "github.com/redis/go-redis/extra/redisotel",
// span names the lower-case command ("set", "get", ...), the full command by default in db.statement (semconv 1.24;
// no db.query.text, no db.operation.name), e.g. `set aqe/test-plans:plan-go-redis {"tests":12,"owner":"go-redis"} ex 3600`.
// A new connection adds spans of its own: a root "redis.dial" (its own trace) and, under the first command,
// "hello" and, on Redis < 7.2, the failing "client" (maint_notifications) and "redis.pipeline client" (setinfo).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

const client = "go-redis"

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: workload REDIS_PORT OTLP_TRACES_URL")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("done " + client)
}

func run(port, url string) error {
	ctx := context.Background()
	exporter, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(url))
	if err != nil {
		return err
	}
	provider := sdktrace.NewTracerProvider(
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", client))),
		sdktrace.WithBatcher(exporter),
	)

	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port})
	// the hook is given the provider explicitly, so no global one is needed
	if err := redisotel.InstrumentTracing(rdb, redisotel.WithTracerProvider(provider)); err != nil {
		return err
	}

	// every Redis span is a child of this one: each command gets its ctx
	spanCtx, span := provider.Tracer("memtrace-test-workload").Start(ctx, "task.plan")
	err = task(spanCtx, rdb)
	span.End()
	rdb.Close()

	if ferr := provider.ForceFlush(ctx); err == nil {
		err = ferr
	}
	if serr := provider.Shutdown(ctx); err == nil {
		err = serr
	}
	return err
}

// task runs the commands in order, each awaited.
func task(ctx context.Context, rdb *redis.Client) error {
	plan := "aqe/test-plans:plan-" + client
	// SET k v ex 3600
	if err := rdb.Set(ctx, plan, `{"tests":12,"owner":"`+client+`"}`, time.Hour).Err(); err != nil {
		return err
	}
	if err := rdb.Get(ctx, plan).Err(); err != nil {
		return err
	}
	// a miss is redis.Nil, not an error of the task
	if err := rdb.Get(ctx, "aqe/test-plans:missing-"+client).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	if err := rdb.MSet(ctx, "aqe/cache:a-"+client, "1", "aqe/cache:b-"+client, "2").Err(); err != nil {
		return err
	}
	// the plan is a string: only the WRONGTYPE error is expected
	if err := rdb.LPush(ctx, plan, "x").Err(); err == nil || !strings.Contains(err.Error(), "WRONGTYPE") {
		return fmt.Errorf("LPUSH: expected WRONGTYPE, got %v", err)
	}
	if err := rdb.Set(ctx, "aqe/sessions:s-"+client, "v", 0).Err(); err != nil {
		return err
	}
	return rdb.Del(ctx, "aqe/cache:a-"+client, "aqe/cache:b-"+client).Err()
}
