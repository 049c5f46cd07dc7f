package org.openigc.server.certificates;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.openigc.server.BrowserExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A real browser (Debian's chromium) orders a certificate with online key generation through the wizard. */
class CertificatePagesBrowserIT extends ServerTestSupport {
    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension("1200,2400");

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void stopBrowser() {
        if (browser.driver() != null) {
            browser.driver().quit();
        }
    }

    @Test
    void adminChuOrdersWithAnOnlineKeyAndGetsTheOneTimePkcs12Link() {
        browser.driver().get(https("/demo/personas"));
        browser.submit(By.cssSelector("form[action$='/demo/personas/admin-chu'] button"));
        browser.driver().get(https("/app/certificates/new"));
        assertThat(browser.driver().getTitle()).isEqualTo("Commander un certificat");
        assertThat(browser.driver().findElement(By.id("instance-note")).getText()).contains("jamais être copiés sur une autre instance");

        String service = "Navigateur " + (100000 + (int) (Math.random() * 899999));
        String actor = "browser-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
        new Select(browser.driver().findElement(By.id("offer"))).selectByValue("ORG");
        new Select(browser.driver().findElement(By.id("structure"))).selectByVisibleText("CHU DEMO (1750712184) — ORG");
        new Select(browser.driver().findElement(By.id("usage"))).selectByVisibleText("ORG SIGN");
        browser.type("serviceApplicatif", service);
        browser.type("actorEmail", actor);
        browser.driver().findElement(By.id("keyMode-generate")).click();
        new Select(browser.driver().findElement(By.id("algorithm"))).selectByValue("EC_P256");
        long before = jdbc.sql("select count(*) from certificate").query(Long.class).single();
        browser.submit(By.id("submit-order"));

        // the confirmation step: a recap, nothing issued yet; the secrets are given here
        assertThat(browser.driver().getCurrentUrl()).matches(".*/app/certificates/new/review/[A-Za-z0-9_-]+$");
        assertThat(browser.driver().getTitle()).isEqualTo("Confirmer la commande");
        assertThat(browser.driver().findElement(By.id("recap-service")).getText()).isEqualTo(service);
        assertThat(browser.driver().findElement(By.id("recap-structure")).getText()).isEqualTo("CHU DEMO (1750712184)");
        assertThat(browser.driver().findElement(By.id("recap-offer")).getText()).isEqualTo("ORG SIGN");
        assertThat(browser.driver().findElement(By.id("recap-environment")).getText()).isEqualTo("Production");
        assertThat(browser.driver().findElement(By.id("recap-actor")).getText()).isEqualTo(actor);
        assertThat(browser.driver().findElement(By.id("recap-key")).getText()).contains("EC_P256", "générée en ligne");
        assertThat(browser.driver().findElement(By.id("recap-subject")).getText()).contains("CN=" + service, "OU=1750712184");
        assertThat(jdbc.sql("select count(*) from certificate").query(Long.class).single())
                .as("nothing issued before confirmation").isEqualTo(before);
        // "Modifier" goes back to the filled wizard, and reviewing again leads to a new recap
        browser.submit(By.id("edit-order"));
        assertThat(browser.driver().findElement(By.id("serviceApplicatif")).getAttribute("value")).isEqualTo(service);
        assertThat(browser.driver().findElement(By.id("keyMode-generate")).isSelected()).isTrue();
        browser.submit(By.id("submit-order"));
        assertThat(browser.driver().getCurrentUrl()).matches(".*/app/certificates/new/review/[A-Za-z0-9_-]+$");
        browser.type("password", "mot-de-passe-du-p12");
        browser.driver().findElement(By.id("termsAccepted")).click();
        browser.type("revocationCode", "code-navigateur-1");
        browser.submit(By.id("confirm-order"));

        assertThat(browser.driver().getCurrentUrl()).matches(".*/app/certificates/[0-9a-f-]{36}$");
        assertThat(browser.driver().findElement(By.id("issued")).getText()).contains("Le certificat a été émis");
        assertThat(browser.driver().findElement(By.id("status")).getText()).isEqualTo("Actif");
        WebElement link = browser.driver().findElement(By.id("pkcs12-link"));
        assertThat(link.getAttribute("href")).matches(".*/api/v1/certificates/[0-9a-f-]{36}/pkcs12/[A-Za-z0-9_-]+$");
        assertThat(browser.driver().findElement(By.id("p12-title")).findElement(By.xpath("..")).getText())
                .contains("ne fonctionne qu'une seule fois");
        String id = browser.driver().getCurrentUrl().substring(browser.driver().getCurrentUrl().lastIndexOf('/') + 1);
        assertThat(jdbc.sql("select key_generated_online from certificate where id = :id").param("id", UUID.fromString(id))
                .query(Boolean.class).single()).isTrue();

        // reloading the page does not show the link again: it is given once, right after issuance
        browser.driver().navigate().refresh();
        assertThat(browser.driver().findElements(By.id("pkcs12-link"))).isEmpty();
        browser.driver().get(https("/app/certificates?q=" + service.replace(" ", "+")));
        assertThat(browser.driver().findElement(By.id("certificates")).getText()).contains(service, "Actif");
    }
}
