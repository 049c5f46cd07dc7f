package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A real browser (Debian's chromium) orders a certificate with online key generation through the wizard. */
class CertificatePagesBrowserIT extends ServerTestSupport {
    private WebDriver driver;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void startBrowser() {
        driver = org.openigc.server.Browsers.headlessChromium("1200,2400");
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private void submit(By button) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(page));
    }

    private void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    @Test
    void adminChuOrdersWithAnOnlineKeyAndGetsTheOneTimePkcs12Link() {
        driver.get(https("/demo/personas"));
        submit(By.cssSelector("form[action$='/demo/personas/admin-chu'] button"));
        driver.get(https("/app/certificates/new"));
        assertThat(driver.getTitle()).isEqualTo("Commander un certificat");
        assertThat(driver.findElement(By.id("instance-note")).getText()).contains("jamais être copiés sur une autre instance");

        String service = "Navigateur " + (100000 + (int) (Math.random() * 899999));
        String actor = "browser-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
        new Select(driver.findElement(By.id("offer"))).selectByValue("ORG");
        new Select(driver.findElement(By.id("structure"))).selectByVisibleText("CHU DEMO (1750712184) — ORG");
        new Select(driver.findElement(By.id("usage"))).selectByVisibleText("ORG SIGN");
        type("serviceApplicatif", service);
        type("actorEmail", actor);
        driver.findElement(By.id("keyMode-generate")).click();
        new Select(driver.findElement(By.id("algorithm"))).selectByValue("EC_P256");
        type("password", "mot-de-passe-du-p12");
        driver.findElement(By.id("termsAccepted")).click();
        type("revocationCode", "code-navigateur-1");
        submit(By.id("submit-order"));

        assertThat(driver.getCurrentUrl()).matches(".*/app/certificates/[0-9a-f-]{36}$");
        assertThat(driver.findElement(By.id("issued")).getText()).contains("Le certificat a été émis");
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Actif");
        WebElement link = driver.findElement(By.id("pkcs12-link"));
        assertThat(link.getAttribute("href")).matches(".*/api/v1/certificates/[0-9a-f-]{36}/pkcs12/[A-Za-z0-9_-]+$");
        assertThat(driver.findElement(By.id("p12-title")).findElement(By.xpath("..")).getText())
                .contains("ne fonctionne qu'une seule fois");
        String id = driver.getCurrentUrl().substring(driver.getCurrentUrl().lastIndexOf('/') + 1);
        assertThat(jdbc.sql("select key_generated_online from certificate where id = :id").param("id", UUID.fromString(id))
                .query(Boolean.class).single()).isTrue();

        // reloading the page does not show the link again: it is given once, right after issuance
        driver.navigate().refresh();
        assertThat(driver.findElements(By.id("pkcs12-link"))).isEmpty();
        driver.get(https("/app/certificates?q=" + service.replace(" ", "+")));
        assertThat(driver.findElement(By.id("certificates")).getText()).contains(service, "Actif");
    }
}
