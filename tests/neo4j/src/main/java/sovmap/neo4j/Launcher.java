package sovmap.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Test-only Neo4j Community server for sovmap: an embedded DBMS with a Bolt connector.
 *
 * <pre>
 * java [JVM flags] -cp 'tests/neo4j/target/classes:tests/neo4j/lib/*' sovmap.neo4j.Launcher \
 *      --port PORT --data-dir DIR [--config FILE] [--no-stdin-watch] [--delete-data-dir-on-exit]
 * </pre>
 *
 * <ul>
 *   <li>Bolt listens on 127.0.0.1:PORT only, unencrypted, with authentication DISABLED
 *       (connect with any or no credentials). Never expose it beyond loopback.</li>
 *   <li>DIR is the Neo4j home: store files in DIR/data, logs (debug.log) in DIR/logs.</li>
 *   <li>Page cache size comes from env SOVMAP_NEO4J_PAGECACHE (e.g. 512m, 2g; default 512m).
 *       Heap is a JVM flag (-Xmx), set by the caller (tests/neo4j_server.py reads SOVMAP_NEO4J_HEAP).</li>
 *   <li>Prints exactly one line {@code SOVMAP-NEO4J READY bolt://127.0.0.1:PORT} on stdout once the
 *       default database accepts Bolt connections; on a startup failure prints
 *       {@code SOVMAP-NEO4J FAILED ...} plus the stack trace on stderr and exits with status 1.</li>
 *   <li>Shuts down cleanly on SIGTERM/SIGINT (shutdown hook) and when its stdin reaches EOF, so a
 *       parent that dies (even by SIGKILL) takes the server with it. Pass --no-stdin-watch to run it
 *       by hand with stdin redirected from /dev/null.</li>
 *   <li>--delete-data-dir-on-exit removes DIR after shutdown (for temp dirs whose owner may be
 *       killed before it can clean up).</li>
 *   <li>--config FILE: further Neo4j settings, one {@code name=value} a line as in neo4j.conf (for
 *       benchmarks: transaction log and checkpoint settings); the settings above take precedence.</li>
 * </ul>
 */
public final class Launcher {
    static final String READY = "SOVMAP-NEO4J READY";
    static final String FAILED = "SOVMAP-NEO4J FAILED";
    static final String DEFAULT_PAGECACHE = "512m";

    private Launcher() {}

    public static void main(String[] args) {
        int port = -1;
        Path dataDir = null;
        Path configFile = null;
        boolean watchStdin = true;
        boolean deleteOnExit = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port":
                    port = Integer.parseInt(requireValue(args, ++i, "--port"));
                    break;
                case "--data-dir":
                    dataDir = Path.of(requireValue(args, ++i, "--data-dir")).toAbsolutePath();
                    break;
                case "--config":
                    configFile = Path.of(requireValue(args, ++i, "--config")).toAbsolutePath();
                    break;
                case "--no-stdin-watch":
                    watchStdin = false;
                    break;
                case "--delete-data-dir-on-exit":
                    deleteOnExit = true;
                    break;
                default:
                    usage("unknown argument: " + args[i]);
            }
        }
        if (port <= 0 || port > 65535) {
            usage("--port PORT (1-65535) is required");
        }
        if (dataDir == null) {
            usage("--data-dir DIR is required");
        }

        PrintStream out = System.out;
        String pageCache = envOr("SOVMAP_NEO4J_PAGECACHE", DEFAULT_PAGECACHE);
        AtomicReference<DatabaseManagementService> dbmsRef = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean(false);
        Path home = dataDir;
        boolean cleanUp = deleteOnExit;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService running = dbmsRef.get();
            if (running != null && stopped.compareAndSet(false, true)) {
                out.println("SOVMAP-NEO4J stopping");
                out.flush();
                try {
                    running.shutdown();
                } catch (Throwable t) {
                    t.printStackTrace();
                }
                out.println("SOVMAP-NEO4J stopped");
                out.flush();
            }
            if (cleanUp) {
                deleteRecursively(home);
            }
        }, "sovmap-neo4j-shutdown"));

        if (watchStdin) {
            // Started before the DBMS so that a parent dying during startup is noticed too.
            Thread watcher = new Thread(() -> {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                try {
                    while (in.read(buf) >= 0) {
                        // Input is ignored; only EOF matters.
                    }
                } catch (IOException ignored) {
                    // A broken stdin means the parent is gone as well.
                }
                out.println("SOVMAP-NEO4J stdin closed, shutting down");
                out.flush();
                System.exit(0); // runs the shutdown hook
            }, "sovmap-neo4j-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        DatabaseManagementService dbms;
        try {
            Files.createDirectories(dataDir);
            DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(dataDir);
            if (configFile != null) {
                builder.loadPropertiesFromFile(configFile);
            }
            dbms = builder
                    .setUserLogProvider(new Log4jLogProvider(out, Level.INFO))
                    .setConfig(GraphDatabaseSettings.data_directory, dataDir.resolve("data"))
                    .setConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pageCache))
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                    .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Test server: do not wait 2 x 5 s for Bolt's graceful Netty shutdown (internal settings).
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(2))
                    .build();
            dbmsRef.set(dbms);
        } catch (Throwable t) {
            fail("could not start the DBMS: " + t, t);
            return;
        }

        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
                fail("default database '" + GraphDatabaseSettings.DEFAULT_DATABASE_NAME
                        + "' did not become available within 2 minutes", null);
                return;
            }
            // Smoke query through the embedded API: proves the Cypher stack loads before we say READY.
            db.executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            fail("database not usable: " + t, t);
            return;
        }

        out.println(READY + " bolt://127.0.0.1:" + port
                + " (neo4j " + neo4jVersion() + ", pagecache " + pageCache
                + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + "m, auth disabled)");
        out.flush();

        // Park the main thread; the JVM exits via the shutdown hook (signal) or System.exit (stdin EOF).
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    private static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "?" : v;
    }

    private static void fail(String message, Throwable t) {
        System.out.println(FAILED + " " + message);
        System.out.flush();
        if (t != null) {
            t.printStackTrace();
        }
        System.err.flush();
        // halt: skip shutdown hooks of a half-started DBMS that might hang.
        Runtime.getRuntime().halt(1);
    }

    private static void usage(String problem) {
        System.err.println("sovmap.neo4j.Launcher: " + problem);
        System.err.println("usage: Launcher --port PORT --data-dir DIR [--no-stdin-watch]"
                + " [--delete-data-dir-on-exit] [--config FILE]");
        System.exit(2);
    }

    private static String requireValue(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static String envOr(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    /** Parses sizes like "512m", "2g", "1048576", "64k" into bytes. */
    static long parseBytes(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long mult = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        switch (last) {
            case 'k': mult = 1L << 10; break;
            case 'm': mult = 1L << 20; break;
            case 'g': mult = 1L << 30; break;
            case 't': mult = 1L << 40; break;
            default: break;
        }
        if (mult != 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v.trim()) * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad size '" + s + "' (use e.g. 512m, 2g)", e);
        }
    }
}
