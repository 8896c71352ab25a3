package io.dbrescue.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text format 0.0.4) on 127.0.0.1 only, while a recovery
 * runs; {@link #close()} stops it. Uses the JDK's HTTP server: no dependency.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** 127.0.0.1 itself, not "the loopback address", which can be ::1. */
    static final InetAddress LOOPBACK = loopback();

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the endpoint on 127.0.0.1:port (0 picks a free port, see {@link #port()}). */
    public static MetricsServer start(int port, Metrics metrics) throws MetricsException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 8);
        } catch (BindException e) {
            throw new MetricsException("the metrics endpoint cannot start: port " + port + " on 127.0.0.1 is "
                    + "already in use. Choose another with `dbrescue config set metrics_port PORT` (the metrics_port "
                    + "key in recovery.conf), or turn metrics off with `dbrescue config set enable_metrics false`.", e);
        } catch (IOException e) {
            throw new MetricsException("the metrics endpoint cannot start on 127.0.0.1:" + port + ": " + e.getMessage()
                    + ". Change metrics_port in recovery.conf or set enable_metrics = false.", e);
        }
        server.createContext("/metrics", exchange -> serve(exchange, metrics));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dbrescue-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        MetricsServer s = new MetricsServer(server, executor);
        LOG.info("metrics on http://127.0.0.1:{}/metrics", s.port());
        return s;
    }

    /** Starts the endpoint on metrics_port when enable_metrics is on; empty when it is off. */
    public static java.util.Optional<MetricsServer> startIfEnabled(io.dbrescue.settings.Settings settings,
                                                                   Metrics metrics) throws MetricsException {
        return settings.enableMetrics() ? java.util.Optional.of(start(settings.metricsPort(), metrics))
                : java.util.Optional.empty();
    }

    private static void serve(HttpExchange exchange, Metrics metrics) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
