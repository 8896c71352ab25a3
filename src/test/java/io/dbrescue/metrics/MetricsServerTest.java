package io.dbrescue.metrics;

import io.dbrescue.history.Outcome;
import io.dbrescue.history.RunRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> scrape(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextThatFollowsTheEngineAndStopsWhenClosed() throws Exception {
        Metrics m = new Metrics();
        m.addHistory(List.of(new RunRecord("old", Instant.now(), "postgresql", "direct", "x", 1, 45_000,
                Outcome.SUCCESS, null)));
        int port;
        try (MetricsServer server = MetricsServer.start(0, m)) {
            port = server.port();
            assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            HttpResponse<String> first = scrape(port);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
            assertThat(first.body()).contains("# TYPE dbrescue_bytes_done gauge", "dbrescue_bytes_done 0\n",
                    "dbrescue_phase{phase=\"idle\"} 1", "dbrescue_runs_total{outcome=\"success\"} 1",
                    "dbrescue_restore_duration_seconds_bucket{le=\"30\"} 0",
                    "dbrescue_restore_duration_seconds_bucket{le=\"60\"} 1",
                    "dbrescue_restore_duration_seconds_count 1", "dbrescue_restore_duration_seconds_sum 45\n");

            m.phase("restore");
            m.progress(512, 2048);
            m.throughput(1.5e6);
            m.runFinished(Outcome.FAILED, Duration.ofSeconds(3));
            String second = scrape(port).body();
            assertThat(second).contains("dbrescue_bytes_done 512\n", "dbrescue_bytes_total 2048\n",
                    "dbrescue_phase{phase=\"restore\"} 1", "dbrescue_throughput_bytes_per_second 1500000\n",
                    "dbrescue_runs_total{outcome=\"failed\"} 1", "dbrescue_restore_duration_seconds_count 1\n");
            assertThat(second).doesNotContain("phase=\"idle\"");
        }
        assertThatThrownBy(() -> scrape(port)).isInstanceOf(ConnectException.class);
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        try (MetricsServer server = MetricsServer.start(0, new Metrics())) {
            try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
                assertThat(s.isConnected()).isTrue();
            }
            if (external.isPresent()) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(external.get(), server.port()), 2000);
                    }
                }).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void startsOnlyWhenEnabledInTheSettings() throws Exception {
        io.dbrescue.settings.Settings off = io.dbrescue.settings.Settings.defaults(Path.of("/nowhere/recovery.conf"));
        assertThat(MetricsServer.startIfEnabled(off, new Metrics())).isEmpty();
        int free = io.dbrescue.testing.FreePorts.next();
        io.dbrescue.settings.Settings on = off.withOverrides(java.util.Map.of("enable_metrics", "true",
                "metrics_port", String.valueOf(free)));
        try (MetricsServer server = MetricsServer.startIfEnabled(on, new Metrics()).orElseThrow()) {
            assertThat(server.port()).isEqualTo(free);
            assertThat(scrape(free).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPortInUseNamesThePortAndTheKeyToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.start(port, new Metrics()))
                    .isInstanceOf(MetricsException.class)
                    .hasMessage("the metrics endpoint cannot start: port " + port + " on 127.0.0.1 is already in use. "
                            + "Choose another with `dbrescue config set metrics_port PORT` (the metrics_port key in "
                            + "recovery.conf), or turn metrics off with `dbrescue config set enable_metrics false`.");
        }
    }
}
