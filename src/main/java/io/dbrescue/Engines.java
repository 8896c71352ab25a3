package io.dbrescue;

import io.dbrescue.mongodb.MongoScanning;
import io.dbrescue.mysql.MySqlScanning;
import io.dbrescue.postgres.PostgresScanning;
import io.dbrescue.redis.RedisScanning;
import io.dbrescue.scan.EngineScanner;
import io.dbrescue.scan.Scanner;
import io.dbrescue.sqlite.SqliteScanning;

import java.util.List;

/** The one place where the engines are wired together. */
public final class Engines {
    private Engines() {
    }

    public static List<EngineScanner> scanners() {
        return List.of(new PostgresScanning(), new MySqlScanning(), new MongoScanning(), new RedisScanning(),
                new SqliteScanning());
    }

    public static Scanner scanner() {
        return new Scanner(scanners());
    }
}
