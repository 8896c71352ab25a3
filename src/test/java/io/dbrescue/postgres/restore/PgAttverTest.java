package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.PgCatalogFacts;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The column option pg_attver that Debian 12's PostgreSQL 15.20 writes into every column: found in the catalog
 * files of a cluster made by it (not in one made by upstream 16), and removed — that option only — by the
 * statement the pg-clean-attver step runs, here on the Debian server itself (which does not put it back).
 */
class PgAttverTest {
    static Path work;
    static PgCluster debian;
    static PgCluster upstream;

    @BeforeAll
    static void clusters() {
        work = TestUser.newDir("pg-attver");
        debian = PgCluster.init(15, work.resolve("debian15")).start();
        debian.psql("postgres", "CREATE DATABASE shop");
        debian.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric)");
        debian.psql("shop", "ALTER TABLE items ALTER COLUMN name SET (n_distinct = 42)");
        debian.psql("shop", "INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(1, 100) g");
        debian.stop();
        upstream = PgCluster.init(16, work.resolve("zonky16")).start();
        upstream.psql("postgres", "CREATE DATABASE shop");
        upstream.psql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)");
        upstream.stop();
    }

    @AfterAll
    static void cleanUp() {
        for (PgCluster c : new PgCluster[] {debian, upstream}) {
            if (c != null) {
                c.close();
            }
        }
        TestUser.delete(work);
    }

    static Finding scanned(PgCluster c) {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY);
        PgCatalogFacts.addTo(f, c.dataDir(), c.major() * 100);
        return f;
    }

    @Test
    void aClusterMadeByDebian15Point20IsFoundByItsCatalogFiles() {
        assertThat(PgAttver.databases(scanned(debian))).containsExactly("postgres", "shop", "template1");
        assertThat(PgAttver.databases(scanned(upstream))).isEmpty();
    }

    @Test
    void theCleaningRemovesOnlyThatOptionAndDebiansServerDoesNotPutItBack() {
        debian.start();
        try {
            assertThat(debian.psql("shop", "SELECT attname, attoptions FROM pg_attribute WHERE attrelid = 'items'::regclass "
                    + "AND attnum > 0 ORDER BY attnum")).contains("pg_attver=");
            debian.psql("shop", PgAttver.CLEAN);
            assertThat(debian.psql("shop", "SELECT attname || ' ' || coalesce(attoptions::text, '-') FROM pg_attribute "
                    + "WHERE attrelid = 'items'::regclass AND attnum > 0 ORDER BY attnum").lines().map(String::strip).toList())
                    .containsExactly("id -", "name {n_distinct=42}", "price -");
            assertThat(debian.psql("shop", PgAttver.COUNT).strip()).isEqualTo("0");
            debian.psql("shop", "ANALYZE items");
            assertThat(debian.psql("shop", PgAttver.COUNT).strip()).as("not stamped again").isEqualTo("0");
        } finally {
            debian.stop();
        }
        List<String> stillThere = PgAttver.databases(scanned(debian));
        assertThat(stillThere).as("catalog columns keep theirs; only user columns are cleaned").contains("shop");
    }
}
