package org.openigc.certdc;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CertDC's own PostgreSQL schema {@code certdc}, migrated by its own Flyway instance (location
 * {@code classpath:db/certdc}, history table {@code certdc.certdc_schema_history}) so that its migrations never mix
 * with the platform's. Every CertDC query names the schema. Not a {@code Flyway} bean on purpose: the platform's
 * Flyway auto-configuration must not back off because of it.
 */
public final class CertDcSchema {
    public static final String SCHEMA = "certdc";
    private static final Logger log = LoggerFactory.getLogger(CertDcSchema.class);

    public CertDcSchema(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/certdc")
                .table("certdc_schema_history")
                .load()
                .migrate();
        log.info("event=certdc-schema-migrated schema={} applied={} version={}", SCHEMA, result.migrationsExecuted,
                result.targetSchemaVersion);
    }
}
