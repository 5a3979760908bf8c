package io.memtrace.collector.lineage;

import io.memtrace.collector.store.KeptTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lineage's tables as the store keeps them: {@link KeyEventStore}'s key events and compressed counts, and the
 * {@link LineageViews} over them. Found by the store through {@code META-INF/services}, so that lineage depends
 * on the store and not the other way round.
 */
public final class KeyEventTables implements KeptTables {

  @Override
  public void prepareForWriting(Connection connection) throws SQLException {
    KeyRecordViews.createTables(connection, "");
    LineageViews.createForWriting(connection);
    KeyRecordViews.create(connection, "");
  }

  @Override
  public void prepareForReading(Connection connection) throws SQLException {
    KeyRecordViews.createTables(connection, "TEMPORARY ");
    LineageViews.ensure(connection);
    KeyRecordViews.create(connection, "TEMPORARY ");
  }

  @Override
  public void add(Statement statement, String moving) throws SQLException {
    KeyEventStore.add(statement, moving);
    statement.executeUpdate(KeyEventStore.insertCompressed(moving));
  }
}
