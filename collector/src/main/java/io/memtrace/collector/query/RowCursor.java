package io.memtrace.collector.query;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Rows read one at a time by column position, for the collector's own readers that turn many rows into records: over a
 * {@link ResultTable} (any source, within its caps) or straight over the driver's {@link ResultSet}
 * ({@link SqlSource#readOwn}), where no row becomes a list of boxed values first.
 */
public interface RowCursor {

  /** A column's position by its name, asked once per result. */
  int column(String name);

  /** Moves to the next row; false when there is none. */
  boolean next();

  Object value(int column);

  String text(int column);

  /** A whole number, or null. */
  Long number(int column);

  /** A boolean as {@link ResultTable#bool} reads it, or null. */
  default Boolean bool(int column) {
    Object v = value(column);
    return v instanceof Boolean b ? b : v == null ? null : Boolean.valueOf(v.toString());
  }

  /** The driver's failure while rows were read, unwrapped by {@link QueryRunner#readOwn}. */
  final class Failure extends RuntimeException {
    Failure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  /** A cursor over a result already read. */
  static RowCursor of(ResultTable table) {
    return new RowCursor() {
      private int row = -1;

      @Override
      public int column(String name) {
        return table.column(name);
      }

      @Override
      public boolean next() {
        return ++row < table.size();
      }

      @Override
      public Object value(int column) {
        return table.rows().get(row).get(column);
      }

      @Override
      public String text(int column) {
        Object v = value(column);
        return v == null ? null : v.toString();
      }

      @Override
      public Long number(int column) {
        Object v = value(column);
        return v == null ? null : v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
      }
    };
  }

  /** A cursor over the driver's rows (its positions are 1-based; this one's are too). */
  static RowCursor of(ResultSet rs) {
    return new RowCursor() {
      @Override
      public int column(String name) {
        try {
          return rs.findColumn(name);
        } catch (SQLException e) {
          throw new IllegalArgumentException("no column " + name, e);
        }
      }

      @Override
      public boolean next() {
        try {
          return rs.next();
        } catch (SQLException e) {
          throw new Failure(e);
        }
      }

      @Override
      public Object value(int column) {
        try {
          return rs.getObject(column);
        } catch (SQLException e) {
          throw new Failure(e);
        }
      }

      @Override
      public String text(int column) {
        try {
          return rs.getString(column);
        } catch (SQLException e) {
          throw new Failure(e);
        }
      }

      @Override
      public Long number(int column) {
        try {
          long n = rs.getLong(column);
          return rs.wasNull() ? null : n;
        } catch (SQLException e) {
          throw new Failure(e);
        }
      }
    };
  }
}
