package org.openigc.server.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;

/**
 * Several statements sent to PostgreSQL in one round trip: the driver sends the statements of one prepared statement
 * (separated by {@code ;}) together and returns their results in order. Each statement keeps its own {@code :name}
 * parameters, so statements written by different features can travel together. Run in the caller's transaction
 * (or in autocommit, each statement on its own, without one).
 */
public final class RoundTrip {
    private RoundTrip() {
    }

    /** Reads a query's rows (the result set is closed afterwards). */
    @FunctionalInterface
    public interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    /** A query with its reader, or an insert of exactly one row ({@code rows} null). */
    public record Statement(ParsedSql sql, MapSqlParameterSource params, Rows rows) {
        public static Statement query(String sql, Map<String, ?> params, Rows rows) {
            return new Statement(NamedParameterUtils.parseSqlStatement(sql), new MapSqlParameterSource(params), rows);
        }

        public static Statement insertOne(String sql, Map<String, ?> params) {
            return new Statement(NamedParameterUtils.parseSqlStatement(sql), new MapSqlParameterSource(params), null);
        }
    }

    /**
     * Sends {@code statements} in one round trip and hands each query's rows to its reader, in order. An insert that
     * does not write exactly one row fails the whole call ({@link IncorrectResultSizeDataAccessException}).
     */
    public static void run(JdbcOperations jdbc, List<Statement> statements) {
        if (statements.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder();
        List<Object> values = new ArrayList<>();
        for (Statement statement : statements) {
            sql.append(sql.isEmpty() ? "" : ";\n")
                    .append(NamedParameterUtils.substituteNamedParameters(statement.sql(), statement.params()));
            values.addAll(Arrays.asList(NamedParameterUtils.buildValueArray(statement.sql(), statement.params(), null)));
        }
        jdbc.execute(sql.toString(), (PreparedStatement ps) -> {
            for (int i = 0; i < values.size(); i++) {
                StatementCreatorUtils.setParameterValue(ps, i + 1, SqlTypeValue.TYPE_UNKNOWN, values.get(i));
            }
            boolean rows = ps.execute();
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                if (statement.rows() != null) {
                    if (!rows) {
                        throw new IncorrectResultSizeDataAccessException("statement " + (i + 1) + " of "
                                + statements.size() + " returned no rows to read", 1, 0);
                    }
                    try (ResultSet resultSet = ps.getResultSet()) {
                        statement.rows().read(resultSet);
                    }
                } else {
                    int count = rows ? -1 : ps.getUpdateCount();
                    if (count != 1) {
                        throw new IncorrectResultSizeDataAccessException("insert " + (i + 1) + " of "
                                + statements.size() + " wrote " + count + " rows", 1, count);
                    }
                }
                rows = ps.getMoreResults();
            }
            return null;
        });
    }
}
