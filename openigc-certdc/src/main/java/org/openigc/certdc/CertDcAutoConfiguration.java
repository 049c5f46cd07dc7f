package org.openigc.certdc;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.openigc.ca.Environment;
import org.openigc.certdc.account.AccountController;
import org.openigc.certdc.account.AccountRepository;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.account.CardAuthentication;
import org.openigc.certdc.account.CertDcSecurityConfiguration;
import org.openigc.certdc.account.Passwords;
import org.openigc.certdc.account.RateLimiter;
import org.openigc.certdc.connection.AdminController;
import org.openigc.certdc.connection.ConnectionKit;
import org.openigc.certdc.connection.ConnectionService;
import org.openigc.certdc.connection.ManagerController;
import org.openigc.certdc.connection.PublicController;
import org.openigc.certdc.connection.ServerCertificates;
import org.openigc.certdc.connection.SiRepository;
import org.openigc.certdc.deposit.DepositController;
import org.openigc.certdc.deposit.DepositRepository;
import org.openigc.certdc.deposit.DepositService;
import org.openigc.certdc.deposit.DoctorApiController;
import org.openigc.certdc.deposit.DoctorController;
import org.openigc.certdc.deposit.DoctorService;
import org.openigc.certdc.deposit.DraftRepository;
import org.openigc.certdc.deposit.PurgeJob;
import org.openigc.certdc.trust.ClientCertificateVerifier;
import org.openigc.certdc.trust.PlatformTrust;
import org.openigc.certdc.trust.RevocationClient;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * CertDC context passing, assembled into the host application by auto-configuration; {@code
 * openigc.certdc.enabled=false} leaves it out entirely. A relying service of OpenIGC: it trusts OpenIGC's CA
 * certificates fetched from their publication URLs, checks status by OCSP, and keeps its data in its own schema
 * {@code certdc} (own Flyway history); it never reads the platform's tables.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "openigc.certdc", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(CertDcProperties.class)
@Import({CertDcSecurityConfiguration.class, CertDcControllerAdvice.class, AccountController.class,
        PublicController.class, ManagerController.class, AdminController.class, DoctorController.class,
        DoctorApiController.class})
public class CertDcAutoConfiguration {

    @Bean
    CertDcSettings certDcSettings(org.springframework.core.env.Environment environment, CertDcProperties properties) {
        return CertDcSettings.from(environment, properties);
    }

    @Bean
    CertDcSchema certDcSchema(DataSource dataSource) {
        return new CertDcSchema(dataSource);
    }

    @Bean
    CertDcMailer certDcMailer(ListableBeanFactory beans) {
        return new PlatformBridge.Mailer(beans);
    }

    @Bean
    CertDcAudit certDcAudit(ListableBeanFactory beans) {
        return new PlatformBridge.Audit(beans);
    }

    @Bean
    DataCipher certDcDataCipher(CertDcProperties properties, CertDcSettings settings) {
        Path keyFile = properties.dataKeyFile() != null ? properties.dataKeyFile()
                : settings.dataDir().resolve("secrets").resolve("certdc-data.key");
        return DataCipher.fromKeyFile(keyFile);
    }

    private static Clock clock(ObjectProvider<Clock> clock) {
        return clock.getIfAvailable(Clock::systemUTC);
    }

    private static TransactionTemplate transactions(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    // --- trust: OpenIGC's CAs and revocation status, as an outside relying service ---

    @Bean
    PlatformTrust certDcPlatformTrust(CertDcSettings settings, CertDcProperties properties) {
        return new PlatformTrust(settings.httpBaseUrl(), properties.caUrls(), properties.rootPins());
    }

    @Bean
    RevocationClient certDcRevocationClient(ObjectProvider<Clock> clock, CertDcProperties properties) {
        return new RevocationClient(clock(clock), properties.revocationCacheTtl());
    }

    @Bean
    ClientCertificateVerifier certDcClientCertificateVerifier(PlatformTrust trust, RevocationClient revocation,
                                                              ObjectProvider<Clock> clock, CertDcProperties properties) {
        List<Environment> environments = properties.cardEnvironments().stream().map(Environment::valueOf).toList();
        return new ClientCertificateVerifier(trust, revocation, clock(clock), environments);
    }

    // --- accounts ---

    @Bean
    Passwords certDcPasswords() {
        return new Passwords();
    }

    @Bean
    RateLimiter certDcRateLimiter() {
        return new RateLimiter();
    }

    @Bean
    AccountRepository certDcAccountRepository(DataSource dataSource, CertDcSchema schema) {
        return new AccountRepository(JdbcClient.create(dataSource));
    }

    @Bean
    AccountService certDcAccountService(AccountRepository accounts, Passwords passwords, RateLimiter rateLimiter,
                                        CertDcMailer mailer, CertDcAudit audit, ObjectProvider<Clock> clock,
                                        PlatformTransactionManager transactionManager, CertDcProperties properties,
                                        CertDcSettings settings) {
        return new AccountService(accounts, passwords, rateLimiter, mailer, audit, clock(clock),
                transactions(transactionManager), properties, settings);
    }

    @Bean
    CardAuthentication certDcCardAuthentication(ClientCertificateVerifier verifier, AccountRepository accounts,
                                                CertDcAudit audit) {
        return new CardAuthentication(verifier, accounts, audit);
    }

    @Bean
    CertDcAdministrators certDcAdministrators(AccountService accounts, CertDcProperties properties, CertDcMailer mailer,
                                              CertDcSettings settings, PlatformTransactionManager transactionManager) {
        return new CertDcAdministrators(accounts, properties, mailer, settings, transactions(transactionManager));
    }

    // --- SI connection ---

    @Bean
    SiRepository certDcSiRepository(DataSource dataSource, CertDcSchema schema) {
        return new SiRepository(JdbcClient.create(dataSource));
    }

    @Bean
    ConnectionService certDcConnectionService(SiRepository systems, AccountService accounts, CertDcMailer mailer,
                                              CertDcAudit audit, ObjectProvider<Clock> clock,
                                              PlatformTransactionManager transactionManager, CertDcSettings settings,
                                              RateLimiter rateLimiter) {
        return new ConnectionService(systems, accounts, mailer, audit, clock(clock), transactions(transactionManager),
                settings, rateLimiter);
    }

    @Bean
    ServerCertificates certDcServerCertificates(ObjectProvider<SslBundles> bundles, CertDcSettings settings,
                                                DataSource dataSource, CertDcSchema schema,
                                                PlatformTransactionManager transactionManager, SiRepository systems,
                                                CertDcMailer mailer, CertDcAudit audit, ObjectProvider<Clock> clock) {
        return new ServerCertificates(bundles, settings, JdbcClient.create(dataSource), transactions(transactionManager),
                systems, mailer, audit, clock(clock));
    }

    @Bean
    ConnectionKit certDcConnectionKit(CertDcSettings settings, ServerCertificates serverCertificates,
                                      PlatformTrust trust, CertDcProperties properties) {
        return new ConnectionKit(settings, serverCertificates, trust, properties.maxDepositSize().toBytes());
    }

    // --- deposits, doctors, purge ---

    @Bean
    DepositRepository certDcDepositRepository(DataSource dataSource, CertDcSchema schema) {
        return new DepositRepository(JdbcClient.create(dataSource));
    }

    @Bean
    DraftRepository certDcDraftRepository(DataSource dataSource, CertDcSchema schema) {
        return new DraftRepository(JdbcClient.create(dataSource));
    }

    @Bean
    DepositService certDcDepositService(SiRepository systems, DepositRepository deposits, DataCipher cipher,
                                        CertDcAudit audit, CertDcMailer mailer, ObjectProvider<Clock> clock,
                                        PlatformTransactionManager transactionManager, CertDcProperties properties,
                                        CertDcSettings settings) {
        return new DepositService(systems, deposits, cipher, audit, mailer, clock(clock),
                transactions(transactionManager), properties.retention(), settings);
    }

    @Bean
    DepositController certDcDepositController(DepositService deposits, CertDcProperties properties) {
        return new DepositController(deposits, properties.maxDepositSize().toBytes());
    }

    @Bean
    DoctorService certDcDoctorService(DepositRepository deposits, DraftRepository drafts, AccountRepository accounts,
                                      DataCipher cipher, CertDcAudit audit, ObjectProvider<Clock> clock,
                                      PlatformTransactionManager transactionManager) {
        return new DoctorService(deposits, drafts, accounts, cipher, audit, clock(clock),
                transactions(transactionManager));
    }

    @Bean
    PurgeJob certDcPurgeJob(DataSource dataSource, CertDcSchema schema, PlatformTransactionManager transactionManager,
                            ObjectProvider<Clock> clock, CertDcAudit audit) {
        return new PurgeJob(JdbcClient.create(dataSource), transactions(transactionManager), clock(clock), audit);
    }

    @Bean
    CertDcDemo certDcDemo(CertDcSettings settings, AccountService accounts, SiRepository systems, DataSource dataSource,
                          PlatformTransactionManager transactionManager, ObjectProvider<Clock> clock) {
        return new CertDcDemo(settings, accounts, systems, JdbcClient.create(dataSource),
                transactions(transactionManager), clock(clock));
    }

    @Bean
    CertDcLifecycle certDcLifecycle(PurgeJob purge, ServerCertificates serverCertificates, CertDcDemo demo,
                                    CertDcSettings settings, CertDcAdministrators administrators,
                                    CertDcProperties properties) {
        return new CertDcLifecycle(purge, serverCertificates, settings.demo() ? demo : null, administrators,
                properties.purgeInterval());
    }
}
