package io.dbrescue.mysql;

import io.dbrescue.machine.Versions;

/**
 * Which data a newer MariaDB / MySQL server opens in place (and then upgrades: mariadb-upgrade for MariaDB,
 * the server itself for MySQL 8.0.16 and later), by the projects' documented rules:
 * <ul>
 * <li>MariaDB: any older MariaDB 10.x or 11.x data into a newer series, but not after a crash — a newer server
 * does not replay an older version's redo log ("Upgrade after a crash is not supported"). Where the scan cannot
 * tell (redo formats before MariaDB 10.8 do not record it) the newer server's start on the copy tells, before
 * the target is touched;</li>
 * <li>MySQL: one series at a time — 5.7.9 or later into 8.0, 8.0 into 8.4, 8.4 into 9.x; 5.6 cannot go into
 * 8.0 (it needs 5.7 first), 5.7 cannot go into 8.4 (it needs 8.0 first); also only after a clean shutdown.</li>
 * </ul>
 */
final class MySqlUpgradeRules {
    private MySqlUpgradeRules() {
    }

    /** Null when the target may open the data in place; else why not, in the user's words. */
    static String whyNot(boolean mariadb, String dataVersion, String targetVersion, Boolean cleanShutdown) {
        String dataMajor = major(dataVersion);
        String targetMajor = major(targetVersion);
        String product = mariadb ? "MariaDB" : "MySQL";
        if (Versions.compare(dataMajor, targetMajor) >= 0) {
            return product + " " + targetMajor + " is not newer than the data (" + dataVersion + ")";
        }
        if (Boolean.FALSE.equals(cleanShutdown)) {
            return "the data was not shut down cleanly (copied while the server ran, or after a crash), and a newer "
                    + product + " does not replay an older version's redo log: the old version in a container does "
                    + "that first";
        }
        return mariadb ? mariaDb(dataMajor) : mySql(dataVersion, dataMajor, targetMajor);
    }

    private static String mariaDb(String dataMajor) {
        if (Versions.compare(dataMajor, "10.0") < 0) {
            return "MariaDB " + dataMajor + " data predates MariaDB 10 and is not upgraded in place by newer series";
        }
        return null;
    }

    private static String mySql(String dataVersion, String dataMajor, String targetMajor) {
        String next = switch (dataMajor) {
            case "5.7" -> "8.0";
            case "8.0" -> "8.4";
            case "8.4" -> "9";
            default -> null;
        };
        if (dataMajor.equals("5.7") && Versions.compare(dataVersion, "5.7.9") < 0) {
            return "MySQL 8.0 upgrades 5.7 data in place only from 5.7.9 on (this is " + dataVersion + ")";
        }
        boolean fits = next != null && (next.equals("9") ? targetMajor.startsWith("9.") : next.equals(targetMajor));
        if (fits) {
            return null;
        }
        if (dataMajor.equals("5.6") && targetMajor.equals("8.0")) {
            return "MySQL 8.0 does not open 5.6 data in place: 5.6 goes to 5.7 first, then to 8.0";
        }
        return "MySQL upgrades in place one series at a time (5.7.9+ to 8.0, 8.0 to 8.4, 8.4 to 9.x): " + dataMajor
                + " data cannot go straight into " + targetMajor;
    }

    /** Whether the MySQL server upgrades its data itself on start (8.0.16 and later), with no mysql_upgrade. */
    static boolean serverUpgradesItself(boolean mariadb, String targetVersion) {
        return !mariadb && Versions.compare(targetVersion, "8.0.16") >= 0;
    }

    static String major(String v) {
        String[] p = v.split("\\.");
        return p.length < 2 ? p[0] : p[0] + "." + p[1];
    }
}
