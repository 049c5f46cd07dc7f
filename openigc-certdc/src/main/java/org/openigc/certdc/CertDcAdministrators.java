package org.openigc.certdc;

import java.util.List;

import org.openigc.certdc.account.AccountKind;
import org.openigc.certdc.account.AccountService;
import org.openigc.identifiers.IdNatPs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Administrators from configuration: the cards listed in {@code openigc.certdc.admin-cards} (by idNatPS), and — when
 * {@code openigc.certdc.bootstrap-admin-email} is set and no administrator exists — the account
 * {@code certdc-admin} whose one-time password is mailed to that address.
 */
public final class CertDcAdministrators {
    private static final Logger log = LoggerFactory.getLogger(CertDcAdministrators.class);

    private final AccountService accounts;
    private final CertDcProperties properties;
    private final CertDcMailer mailer;
    private final CertDcSettings settings;
    private final TransactionTemplate transactions;

    public CertDcAdministrators(AccountService accounts, CertDcProperties properties, CertDcMailer mailer,
                                CertDcSettings settings, TransactionTemplate transactions) {
        this.accounts = accounts;
        this.properties = properties;
        this.mailer = mailer;
        this.settings = settings;
        this.transactions = transactions;
    }

    public void ensure() {
        transactions.executeWithoutResult(status -> {
            for (String card : properties.adminCards()) {
                IdNatPs idNatPs = IdNatPs.parse(card.strip());
                if (accounts.repository().byIdNatPs(idNatPs.format()).isEmpty()) {
                    accounts.ensure("card-" + idNatPs.format().toLowerCase(java.util.Locale.ROOT).replace('/', '-'),
                            AccountKind.ADMIN, "Administrateur " + idNatPs.format(), null, idNatPs.format(), null);
                    log.info("event=certdc-admin-card-registered");
                }
            }
            String email = properties.bootstrapAdminEmail();
            if (email != null && !email.isBlank() && !accounts.repository().anyOf(AccountKind.ADMIN)) {
                AccountService.Created admin = accounts.create(CertDcDemo.ADMIN, AccountKind.ADMIN,
                        "Administrateur CertDC", email.strip(), null);
                mailer.send("admin-account-created", AccountService.model("login", admin.account().login(),
                        "password", admin.initialPassword(), "loginUrl", settings.publicBaseUrl() + "/certdc/login"),
                        List.of(email.strip()));
                log.info("event=certdc-admin-bootstrapped account={}", admin.account().id());
            }
        });
    }
}
