package dev.loomshowcase.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.helidon.dbclient.jdbc.spi.JdbcConnectionPoolProvider;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * HikariCP as helidon-dbclient-jdbc's connection pool, registered in
 * {@code META-INF/services}. Hand-written because {@code helidon-dbclient-hikari} is not served
 * for Helidon 4.2+ (and its 4.1 jar fails on 4.5). Every Hikari setting stays in YAML: each key
 * of {@code db.connection} but url, username and password is handed to {@link HikariConfig}
 * as a property ({@code maximumPoolSize}, {@code connectionTimeout}, {@code registerMbeans}...).
 */
public final class HikariPoolProvider implements JdbcConnectionPoolProvider {

    @Override
    public String configKey() {
        return "hikari";
    }

    @Override
    public JdbcConnectionPool create(Config config, String name) {
        return new Builder().config(config).serviceName(name).build();
    }

    private static final class Builder extends JdbcConnectionPool.BuilderBase<Builder, Pool> {
        // "jdbc:h2:file:./data/showcase" → "jdbc:h2": the type helidon-dbclient-jdbc is told.
        private static final Pattern DB_TYPE = Pattern.compile("(\\w+:\\w+):.*");

        @Override
        public Pool build() {
            HikariConfig hikari = new HikariConfig(properties());
            hikari.setJdbcUrl(url());
            hikari.setUsername(username());
            hikari.setPassword(password());
            Matcher type = DB_TYPE.matcher(url());
            return new Pool(new HikariDataSource(hikari), type.matches() ? type.group(1) : JdbcConnectionPool.DEFAULT_DB_TYPE,
                    serviceName());
        }
    }

    private record Pool(HikariDataSource dataSource, String dbType, String name) implements CloseableJdbcConnectionPool {
        @Override
        public Connection connection() {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new DbClientException("No connection from the pool of " + dataSource.getJdbcUrl(), e);
            }
        }

        @Override
        public String type() {
            return "hikari";
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
