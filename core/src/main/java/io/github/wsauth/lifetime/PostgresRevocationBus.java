package io.github.wsauth.lifetime;

import io.github.wsauth.internal.Jdbc;
import io.github.wsauth.store.TokenStoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link RevocationBus} for several server processes on the PostgreSQL database they already share (the same
 * {@link DataSource} as {@link io.github.wsauth.store.JdbcTokenStore}): a revocation published on any node reaches
 * the listeners of every node, and a node that was cut off from the database gets, once it is back, every
 * revocation published meanwhile. Uses only {@code java.sql}; no driver class is needed at compile time.
 *
 * <pre>{@code
 * RevocationBus bus = PostgresRevocationBus.builder(dataSource)  // the pool the JdbcTokenStore uses
 *     .createTableIfMissing(true)                                // or run ddl(...) in a migration
 *     .build();                                                  // starts the listener thread
 * bus.subscribe(revocation -> registry.close(revocation));      // on every node
 * bus.publish(Revocation.subject("alice"));                      // on any node
 * }</pre>
 *
 * <h2>How it keeps the contract</h2>
 * <ul>
 *   <li><b>Durable.</b> {@link #publish} inserts a row into a table with a {@code BIGSERIAL} id and sends {@code
 *       pg_notify(channel, id)} in the same transaction: either both happen or neither does, and the caller gets
 *       a {@link TokenStoreUnavailableException} when the database cannot take it (fail closed; nothing was
 *       published). The transaction first locks the table against other publishers ({@code SHARE ROW EXCLUSIVE},
 *       which readers do not wait for), so ids become visible in increasing order and a reader never skips
 *       one that commits late.</li>
 *   <li><b>Nothing lost.</b> Each bus remembers the last id it delivered. Its listener thread holds one
 *       connection of the pool, {@code LISTEN}s on the channel and then reads every row after that id, in id
 *       order; it reads again on each notification and at least every {@linkplain Builder#pollInterval poll
 *       interval}. When the connection fails (database restarted, backend terminated, network cut) it reconnects
 *       with exponential backoff and reads everything after the last delivered id, so a revocation published
 *       while the node was cut off is delivered when it is back. Listeners see each row once per bus in the
 *       normal path; a publish retried after an ambiguous commit failure may deliver a revocation twice, never
 *       zero times.</li>
 *   <li><b>From now on.</b> A new bus starts after the rows created before it was built (by its clock), even if
 *       the database is down when it starts: a node that starts has no connection to close for older
 *       revocations.</li>
 *   <li><b>Wake-up.</b> With the PostgreSQL JDBC driver (pgjdbc), the thread blocks in the driver's {@code
 *       PGConnection.getNotifications(timeout)} (reached by {@link Connection#unwrap} and reflection), so a
 *       notification wakes it at once. With any other driver it reads the table every poll interval.</li>
 *   <li><b>Purged.</b> Rows older than the {@linkplain Builder#retention retention} are deleted by the listener
 *       thread (about hourly) and by {@link #purgeExpired()}. A node cut off for longer than the retention may
 *       miss revocations; it logs a warning when it comes back.</li>
 *   <li><b>Quiet.</b> Log lines and exception messages hold SQLStates, counts and ids of rows, never a subject or
 *       a token id; the notification payload is the row id only (any database user may {@code LISTEN}).</li>
 * </ul>
 *
 * <p>The listener thread is a daemon, named {@code wsauth-revocations-<table>}, started by {@link Builder#build()}
 * and stopped by {@link #close()}. Listeners run on it, in id order, and must not block. The pool must have room
 * for the connection that thread holds. The database role needs {@code SELECT}, {@code INSERT} and {@code DELETE}
 * on the table ({@code DELETE} also allows the table lock) and {@code USAGE} on its id sequence. See
 * docs/LIFETIME-CLUSTER.md.
 */
public final class PostgresRevocationBus implements RevocationBus {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "wsauth_revocations";
  /** The default poll interval: the longest a node waits before reading the table without a notification. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** The default retention of published revocations. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  /** The default statement timeout. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
  /** The default first reconnection delay after the database connection fails. */
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
  /** The default longest reconnection delay. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(PostgresRevocationBus.class.getName());
  private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int BATCH = 500;
  /** The longest the listener blocks at once, so that close() is noticed quickly. */
  private static final long SLICE_MILLIS = 200;
  /** How long close() waits for the thread beyond one statement timeout. */
  private static final long CLOSE_WAIT_MILLIS = 2_000;
  private static final Duration MAX_PURGE_EVERY = Duration.ofHours(1);
  private static final String KIND_SUBJECT = "subject";
  private static final String KIND_TOKEN = "token";

  private final DataSource dataSource;
  private final String table;
  private final String channel;
  private final Clock clock;
  private final long pollMillis;
  private final Duration retention;
  private final int queryTimeoutSeconds;
  private final long minBackoffMillis;
  private final long maxBackoffMillis;
  private final boolean createTableIfMissing;
  private final boolean useNotifications;
  private final Instant startedAt;

  private final String insert;
  private final String readAfter;
  private final String position;
  private final String purge;
  private final String lock;

  private final CopyOnWriteArrayList<Consumer<Revocation>> listeners = new CopyOnWriteArrayList<>();
  private final Object signal = new Object();
  private final Object initLock = new Object();
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean kicked;
  private volatile boolean tableReady;
  /** The id of the last row delivered; -1 until the first connection has set the starting point. */
  private long lastDelivered = -1;

  private PostgresRevocationBus(Builder b) {
    this.dataSource = b.dataSource;
    this.table = b.table;
    this.channel = b.channel != null ? b.channel : defaultChannel(table);
    this.clock = b.clock;
    this.pollMillis = b.pollInterval.toMillis();
    this.retention = b.retention;
    this.queryTimeoutSeconds = b.queryTimeoutSeconds;
    this.minBackoffMillis = b.minBackoff.toMillis();
    this.maxBackoffMillis = b.maxBackoff.toMillis();
    this.createTableIfMissing = b.createTableIfMissing;
    this.useNotifications = b.useNotifications;
    this.startedAt = clock.instant();
    this.insert = "INSERT INTO " + table + " (kind, target, created_at) VALUES (?, ?, ?) RETURNING id";
    this.readAfter = "SELECT id, kind, target FROM " + table + " WHERE id > ? ORDER BY id LIMIT " + BATCH;
    this.position = "SELECT COALESCE(MAX(id), 0) FROM " + table + " WHERE created_at < ?";
    this.purge = "DELETE FROM " + table + " WHERE created_at < ?";
    this.lock = "LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE";
    this.thread = new Thread(this::run, "wsauth-revocations-" + table);
    this.thread.setDaemon(true);
  }

  /** Starts a builder for a bus on {@code dataSource}: the pool that the {@code JdbcTokenStore} uses. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The statements that create the table and its index, each with {@code IF NOT EXISTS}. Run them in a
   * migration, or let {@link Builder#createTableIfMissing(boolean)} run them.
   *
   * @throws IllegalArgumentException if the table name is not a plain (optionally schema-qualified) identifier
   */
  public static List<String> ddl(String table) {
    validateTable(table);
    int dot = table.lastIndexOf('.');
    String bareTable = table.substring(dot + 1);
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + table + " (\n"
            + "  id          BIGSERIAL PRIMARY KEY,\n"
            + "  kind        VARCHAR(7) NOT NULL CHECK (kind IN ('" + KIND_SUBJECT + "', '" + KIND_TOKEN + "')),\n"
            + "  target      TEXT NOT NULL CHECK (char_length(target) BETWEEN 1 AND " + Revocation.MAX_SUBJECT_LENGTH
            + "),\n"
            + "  created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL\n"
            + ")",
        "CREATE INDEX IF NOT EXISTS " + bareTable + "_created_at_idx ON " + table + " (created_at)");
  }

  /** The table this bus uses. */
  public String table() {
    return table;
  }

  /** The notification channel this bus uses. */
  public String channel() {
    return channel;
  }

  /**
   * Stores {@code revocation} and notifies every node, in one transaction.
   *
   * @throws TokenStoreUnavailableException if the database cannot take it now: nothing was published
   * @throws IllegalStateException if the bus is closed
   * @throws IllegalArgumentException if the id holds a NUL character, which PostgreSQL text cannot store
   */
  @Override
  public void publish(Revocation revocation) {
    Objects.requireNonNull(revocation, "revocation must not be null");
    if (closed) {
      throw new IllegalStateException("revocation bus is closed");
    }
    if (revocation.id().indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a revocation id must not contain a NUL character");
    }
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new TokenStoreUnavailableException(
          "PostgreSQL revocation bus could not get a connection (SQLState " + e.getSQLState() + ")", e);
    }
    try (c) {
      ensureTable(c);
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        insertAndNotify(c, revocation);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        Jdbc.rollbackQuietly(c, e);
        throw e;
      } finally {
        restoreAutoCommit(c, autoCommit);
      }
    } catch (SQLException e) {
      // The driver's message can quote the row (the subject or token id): keep only its SQLState.
      throw new TokenStoreUnavailableException(
          "PostgreSQL revocation bus could not publish (SQLState " + e.getSQLState() + ")", withoutMessage(e));
    }
    kick();
  }

  private void insertAndNotify(Connection c, Revocation revocation) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(queryTimeoutSeconds);
      st.execute(lock);
    }
    long id;
    try (PreparedStatement ps = prepare(c, insert)) {
      ps.setString(1, revocation.kind() == Revocation.Kind.SUBJECT ? KIND_SUBJECT : KIND_TOKEN);
      ps.setString(2, revocation.id());
      ps.setObject(3, OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the insert returned no id", "XX000");
        }
        id = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = prepare(c, "SELECT pg_notify(?, ?)")) {
      ps.setString(1, channel);
      ps.setString(2, Long.toString(id));
      ps.execute();
    }
  }

  /**
   * Calls {@code listener}, on the bus's thread, for every revocation delivered from now on.
   *
   * @throws IllegalStateException if the bus is closed
   */
  @Override
  public AutoCloseable subscribe(Consumer<Revocation> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    if (closed) {
      throw new IllegalStateException("revocation bus is closed");
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Deletes the revocations older than the retention (by the bus's clock). The listener thread does this about
   * hourly; call it yourself to schedule it otherwise.
   *
   * @return how many rows were deleted
   * @throws TokenStoreUnavailableException if the database cannot be reached
   */
  public int purgeExpired() {
    try (Connection c = dataSource.getConnection()) {
      ensureTable(c);
      return purge(c, clock.instant());
    } catch (SQLException e) {
      throw new TokenStoreUnavailableException(
          "PostgreSQL revocation bus could not purge (SQLState " + e.getSQLState() + ")", e);
    }
  }

  /** Stops the listener thread (waiting for it a few seconds at most), releases its connection, drops listeners. */
  @Override
  public void close() {
    closed = true;
    kick();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_WAIT_MILLIS + queryTimeoutSeconds * 1_000L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    listeners.clear();
  }

  /** Whether the listener thread is still running; false once {@link #close()} has returned normally. */
  public boolean isListening() {
    return thread.isAlive();
  }

  @Override
  public String toString() {
    return "PostgresRevocationBus[table=" + table + ", channel=" + channel + "]";
  }

  // ---- the listener thread ----

  private void start() {
    thread.start();
  }

  private void run() {
    try {
      listen();
    } catch (Error e) {
      // A listener's Error (or the JVM's) ends delivery on this node: say so, without the error's message.
      LOG.log(Level.SEVERE, "revocation bus listener thread stopped: {0}", e.getClass().getName());
      throw e;
    }
  }

  private void listen() {
    long backoff = minBackoffMillis;
    long offlineSince = -1;
    Instant nextPurge = clock.instant();
    while (!closed) {
      Connection c = null;
      try {
        c = dataSource.getConnection();
        PgjdbcNotifications notifications = prepareListener(c);
        if (offlineSince >= 0) {
          long offlineMillis = (System.nanoTime() - offlineSince) / 1_000_000;
          if (offlineMillis > retention.toMillis()) {
            LOG.log(Level.WARNING, "revocation bus was cut off for {0} ms, longer than its retention: revocations"
                + " purged meanwhile were not delivered", offlineMillis);
          }
        }
        int caughtUp = catchUp(c);
        if (offlineSince >= 0) {
          LOG.log(Level.INFO, "revocation bus reconnected; delivered {0} revocation(s) published meanwhile",
              caughtUp);
          offlineSince = -1;
        }
        backoff = minBackoffMillis;
        long nextPoll = System.nanoTime() + pollMillis * 1_000_000;
        while (!closed) {
          long untilPoll = Math.max(1, (nextPoll - System.nanoTime()) / 1_000_000);
          boolean woken = notifications != null
              ? notifications.await((int) Math.min(SLICE_MILLIS, untilPoll)) | takeKick()
              : pause(Math.min(SLICE_MILLIS, untilPoll), true);
          if (closed) {
            break;
          }
          if (woken || System.nanoTime() - nextPoll >= 0) {
            catchUp(c);
            nextPoll = System.nanoTime() + pollMillis * 1_000_000;
          }
          // One reading of the clock for the decision, the cut-off and the next purge: read again after the purge,
          // a clock that moved meanwhile would push the next purge past rows that are already due.
          Instant now = clock.instant();
          if (!now.isBefore(nextPurge)) {
            purge(c, now);
            nextPurge = now.plus(retention.compareTo(MAX_PURGE_EVERY) < 0 ? retention : MAX_PURGE_EVERY);
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (offlineSince < 0) {
          offlineSince = System.nanoTime();
        }
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        LOG.log(Level.WARNING, "revocation bus lost its database connection ({0}, SQLState {1}); reconnecting in"
            + " {2} ms", new Object[] {e.getClass().getName(), sqlState(e), delay});
        release(c);
        c = null;
        pause(delay, false);
        backoff = Math.min(maxBackoffMillis, backoff * 2);
      } finally {
        release(c);
      }
    }
  }

  /** Autocommit, the table, LISTEN, the starting point; then the driver's wait, or null to poll. */
  private PgjdbcNotifications prepareListener(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    try {
      // A cut network must not hang the thread forever in a read.
      c.setNetworkTimeout(Runnable::run, (queryTimeoutSeconds + 5) * 1_000);
    } catch (SQLFeatureNotSupportedException e) {
      // The query timeout has to do.
    }
    ensureTable(c);
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(queryTimeoutSeconds);
      st.execute("LISTEN \"" + channel + "\"");
    }
    if (lastDelivered < 0) {
      try (PreparedStatement ps = prepare(c, position)) {
        ps.setObject(1, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          lastDelivered = rs.getLong(1);
        }
      }
    }
    return useNotifications ? PgjdbcNotifications.find(c) : null;
  }

  /** Delivers every row after the last delivered one, in id order; returns how many. */
  private int catchUp(Connection c) throws SQLException {
    int total = 0;
    int read;
    do {
      read = 0;
      try (PreparedStatement ps = prepare(c, readAfter)) {
        ps.setLong(1, lastDelivered);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            read++;
            long id = rs.getLong(1);
            Revocation r = decode(id, rs.getString(2), rs.getString(3));
            if (r != null) {
              deliver(r);
              total++;
            }
            lastDelivered = id;
          }
        }
      }
    } while (read == BATCH && !closed);
    return total;
  }

  private static Revocation decode(long id, String kind, String target) {
    try {
      if (KIND_SUBJECT.equals(kind)) {
        return Revocation.subject(target);
      }
      if (KIND_TOKEN.equals(kind)) {
        return Revocation.token(target);
      }
    } catch (RuntimeException e) {
      // falls through: logged below
    }
    LOG.log(Level.WARNING, "revocation bus skipped row {0}: not a revocation", id);
    return null;
  }

  private void deliver(Revocation r) {
    for (Consumer<Revocation> listener : listeners) {
      try {
        listener.accept(r);
      } catch (RuntimeException e) {
        // one failing listener must not keep the others from closing their connections
        LOG.log(Level.WARNING, "revocation listener failed: {0}", e.getClass().getName());
      }
    }
  }

  private int purge(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps = prepare(c, purge)) {
      ps.setObject(1, OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC));
      return ps.executeUpdate();
    }
  }

  /**
   * Waits up to {@code millis}, or until closed, or (if {@code wakeOnKick}) until kicked; returns whether it was
   * kicked. The reconnection backoff does not wake on a kick: a kick left over from a local publish must not
   * turn it into an immediate retry.
   */
  private boolean pause(long millis, boolean wakeOnKick) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    synchronized (signal) {
      while (!(wakeOnKick && kicked) && !closed) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        try {
          signal.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return wakeOnKick && takeKick();
  }

  private boolean takeKick() {
    if (kicked) {
      kicked = false;
      return true;
    }
    return false;
  }

  /** Makes the listener read the table now (after a local publish, and on close). */
  private void kick() {
    synchronized (signal) {
      kicked = true;
      signal.notifyAll();
    }
  }

  private void release(Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (!c.isClosed()) {
        try (Statement st = c.createStatement()) {
          st.setQueryTimeout(queryTimeoutSeconds);
          st.execute("UNLISTEN *"); // the connection goes back to the pool: it must not keep listening
        }
      }
    } catch (SQLException | RuntimeException e) {
      // a broken connection: the pool discards it
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // nothing more to do
    }
  }

  // ---- shared ----

  private void ensureTable(Connection c) throws SQLException {
    if (!createTableIfMissing || tableReady) {
      return;
    }
    synchronized (initLock) {
      if (tableReady) {
        return;
      }
      boolean autoCommit = c.getAutoCommit();
      if (!autoCommit) {
        c.setAutoCommit(true);
      }
      try {
        for (String ddl : ddl(table)) {
          try {
            execute(c, ddl);
          } catch (SQLException first) {
            // Two nodes creating the table at once can collide even with IF NOT EXISTS; then it is a no-op.
            try {
              execute(c, ddl);
            } catch (SQLException second) {
              second.addSuppressed(first);
              throw second;
            }
          }
        }
        tableReady = true;
      } finally {
        if (!autoCommit) {
          c.setAutoCommit(false);
        }
      }
    }
  }

  private void execute(Connection c, String statement) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(queryTimeoutSeconds);
      st.execute(statement);
    }
  }

  private PreparedStatement prepare(Connection c, String statement) throws SQLException {
    return Jdbc.prepare(c, statement, queryTimeoutSeconds);
  }

  private static void restoreAutoCommit(Connection c, boolean autoCommit) {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      // a broken connection: the pool discards it; the outcome of the publish is already decided
    }
  }

  /** A copy of {@code e}'s SQLState and class, without the message or chain (which may quote the row). */
  private static SQLException withoutMessage(SQLException e) {
    SQLException copy = new SQLException(e.getClass().getName() + " (message withheld: it may quote the"
        + " revocation)", e.getSQLState(), e.getErrorCode());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private static String sqlState(Exception e) {
    return e instanceof SQLException sql ? sql.getSQLState() : "none";
  }

  /** The channel of a bus on {@code table} when none is set: the table name in lower case, {@code .} as {@code _}. */
  private static String defaultChannel(String table) {
    return table.toLowerCase(Locale.ROOT).replace('.', '_');
  }

  static String validateTable(String table) {
    return Jdbc.validateTable(table, "auth.wsauth_revocations");
  }

  /**
   * Configures a {@link PostgresRevocationBus}. Defaults: table {@value #DEFAULT_TABLE}, channel = the table name
   * in lower case with {@code .} as {@code _}, {@link Clock#systemUTC()}, poll interval 1 s, retention 7 days,
   * statement timeout 5 s, reconnection backoff 100 ms doubling to 10 s, no table creation, notifications used
   * when the driver is pgjdbc. Not thread-safe.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = DEFAULT_TABLE;
    private String channel;
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration retention = DEFAULT_RETENTION;
    private int queryTimeoutSeconds = (int) DEFAULT_QUERY_TIMEOUT.getSeconds();
    private Duration minBackoff = DEFAULT_MIN_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private boolean createTableIfMissing;
    private boolean useNotifications = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
    }

    /**
     * The table: a plain identifier of at most 48 characters, optionally schema-qualified ({@code
     * auth.wsauth_revocations}); written into SQL unquoted.
     */
    public Builder table(String table) {
      this.table = validateTable(table);
      return this;
    }

    /**
     * The {@code LISTEN/NOTIFY} channel: lower-case letters, digits and {@code _}, at most 63 characters (PostgreSQL's
     * identifier limit). Without it, the channel is the table name in lower case with {@code .} as {@code _}, which
     * for a schema-qualified table can be longer: then {@link #build()} refuses it and this must be set.
     */
    public Builder channel(String channel) {
      Objects.requireNonNull(channel, "channel must not be null");
      if (!CHANNEL.matcher(channel).matches()) {
        throw new IllegalArgumentException(
            "channel must be lower-case letters, digits and '_' (at most 63, not starting with a digit)");
      }
      this.channel = channel;
      return this;
    }

    /** The clock that stamps revocations, decides the retention and the starting point of a new bus. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * The longest a node waits before reading the table when no notification came (10 ms to 1 hour). With pgjdbc
     * a notification wakes it at once and this only bounds a missed one; with another driver it is the
     * delivery latency.
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = between(interval, Duration.ofMillis(10), Duration.ofHours(1), "poll interval");
      return this;
    }

    /**
     * How long published revocations stay in the table (at least one second): longer than any database outage
     * or network cut a node should survive without missing one.
     */
    public Builder retention(Duration retention) {
      this.retention = between(retention, Duration.ofSeconds(1), Duration.ofDays(365_000), "retention");
      return this;
    }

    /** The timeout of each statement (1 s to 1 hour), rounded down to whole seconds as JDBC takes it (1.9 s is 1 s). */
    public Builder queryTimeout(Duration timeout) {
      this.queryTimeoutSeconds =
          (int) between(timeout, Duration.ofSeconds(1), Duration.ofHours(1), "query timeout").getSeconds();
      return this;
    }

    /**
     * The reconnection delay after a failure: {@code min} at first, doubling up to {@code max} (each with random
     * jitter of up to half, so that nodes do not reconnect in step). 10 ms to 1 hour, {@code min <= max}.
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      Duration lo = between(min, Duration.ofMillis(10), Duration.ofHours(1), "min backoff");
      Duration hi = between(max, Duration.ofMillis(10), Duration.ofHours(1), "max backoff");
      if (lo.compareTo(hi) > 0) {
        throw new IllegalArgumentException("min backoff must not exceed max backoff");
      }
      this.minBackoff = lo;
      this.maxBackoff = hi;
      return this;
    }

    /** Whether to create the table and its index ({@link PostgresRevocationBus#ddl}) if they are missing. */
    public Builder createTableIfMissing(boolean create) {
      this.createTableIfMissing = create;
      return this;
    }

    /**
     * Whether to block on pgjdbc's notifications between reads (the default); {@code false} reads the table every
     * poll interval only, as with any other driver.
     */
    public Builder useNotifications(boolean use) {
      this.useNotifications = use;
      return this;
    }

    /**
     * Builds the bus and starts its listener thread; it connects in the background, retrying until it can.
     *
     * @throws IllegalStateException if no channel is set and the one derived from the table name is longer than 63
     *     characters (a schema-qualified table name can be up to 97): set {@link #channel(String)}
     */
    public PostgresRevocationBus build() {
      if (channel == null) {
        String derived = defaultChannel(table);
        if (!CHANNEL.matcher(derived).matches()) {
          throw new IllegalStateException("the default channel derived from table " + table + " is "
              + derived.length() + " characters, over the 63 PostgreSQL allows: set channel(...)");
        }
      }
      PostgresRevocationBus bus = new PostgresRevocationBus(this);
      bus.start();
      return bus;
    }

    private static Duration between(Duration d, Duration min, Duration max, String what) {
      Objects.requireNonNull(d, what + " must not be null");
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(what + " must be between " + min + " and " + max);
      }
      return d;
    }
  }
}
