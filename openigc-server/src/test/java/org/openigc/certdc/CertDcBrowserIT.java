package org.openigc.certdc;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.openigc.server.BrowserExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openigc.ca.Environment;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** A real browser (Debian's chromium through chromedriver) on CertDC's pages: the connection request, a doctor's retrieval. */
class CertDcBrowserIT extends CertDcTestSupport {
    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension("1200,1800");

    @AfterEach
    void stopBrowser() {
        if (browser.driver() != null) {
            browser.driver().quit();
        }
    }

    @Test
    void aPersonRequestsTheConnectionOfItsSiInFrenchWithTheAccessibleCaptcha() {
        browser.driver().get(https("/certdc/connexion"));
        assertThat(browser.driver().getTitle()).contains("Raccorder un système d'information");
        assertThat(browser.driver().findElement(By.cssSelector("img[src*='captcha.png']")).getAttribute("alt")).isNotBlank();
        String email = "browser-" + System.nanoTime() + "@chu.example";
        browser.type("lastName", "LEROY");
        browser.type("firstName", "Inès");
        browser.type("function", "Responsable applicatif");
        browser.type("email", email);
        browser.type("phone", "01 40 00 00 00");
        browser.type("address", "1 avenue du Parc");
        browser.type("postcode", "75013");
        browser.type("town", "Paris");
        browser.type("siName", "DPI Paris");
        browser.type("siVersion", "12.4");
        String legal = newFiness();
        browser.driver().findElements(By.name("establishmentNumber")).getFirst().sendKeys(legal);
        browser.submit(By.cssSelector("button[value='add']"));
        List<WebElement> numbers = browser.driver().findElements(By.name("establishmentNumber"));
        assertThat(numbers).hasSize(2);
        assertThat(browser.driver().findElement(By.id("lastName")).getAttribute("value")).isEqualTo("LEROY");
        numbers.get(1).sendKeys("750100018");
        new Select(browser.driver().findElements(By.name("establishmentKind")).get(1)).selectByValue("EG");

        browser.submit(By.cssSelector("button[value='question']"));
        String question = browser.driver().findElement(By.id("captcha-question")).getText();
        browser.type("captcha", solve(question));
        browser.driver().findElement(By.id("consent")).click();
        browser.submit(By.cssSelector("button[value='submit']"));

        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Demande de raccordement enregistrée");
        String reference = browser.driver().findElement(By.id("reference")).getText();
        assertThat(reference).startsWith("SI-");
        assertThat(jdbc.sql("select status from certdc.information_system where reference = :r").param("r", reference)
                .query(String.class).single()).isEqualTo("PENDING");
        assertThat(mails().last("account-created", email)).isPresent();
    }

    @Test
    void aDoctorChangesItsOneTimePasswordFindsTheDataByIppAndWritesTheDraft() throws Exception {
        String rpps = newRpps();
        String password = doctor(rpps, "browser-dr-" + rpps + "@chu.example", "750100026");
        String ipp = newIpp();
        assertThat(deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson("750100026", ipp, "X' OR 'X", "Zoé"), null).statusCode()).isEqualTo(201);

        browser.driver().get(https("/certdc/login"));
        browser.type("login", rpps);
        browser.type("password", password);
        browser.submit(By.cssSelector("form[action$='/certdc/login'] button"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/certdc/account/password");
        browser.type("current", password);
        browser.type("password", "Navigateur-Pass-2026");
        browser.type("confirmation", "Navigateur-Pass-2026");
        browser.submit(By.cssSelector("main form button"));
        browser.driver().get(https("/certdc/doctor"));
        assertThat(browser.driver().findElement(By.id("pending-sandbox")).getText()).contains("test");

        browser.type("ipp", ipp);
        browser.submit(By.cssSelector("form[action$='/certdc/doctor/search'] button"));
        WebElement name = browser.driver().findElement(By.cssSelector("td .nom"));
        assertThat(name.getText()).isEqualTo("X' OR 'X");
        assertThat(browser.driver().findElement(By.cssSelector("td .bac-a-sable")).getText()).contains("BAC À SABLE");
        assertThat(browser.driver().findElement(By.id("profile")).isSelected()).isTrue();
        browser.submit(By.cssSelector("form[action$='/certdc/doctor/drafts'] button"));

        assertThat(browser.driver().findElement(By.cssSelector("#identity .birthName")).getText()).isEqualTo("X' OR 'X");
        assertThat(browser.driver().findElement(By.cssSelector("#identity .firstNames")).getText()).isEqualTo("Zoé");
        assertThat(browser.driver().findElement(By.id("deathDate")).getAttribute("value")).isEqualTo("2026-01-02");
        new Select(browser.driver().findElement(By.id("deathPlaceType"))).selectByValue("ETABLISSEMENT_SANTE");
        browser.type("immediateCause", "Détresse respiratoire");
        browser.submit(By.cssSelector("button[value='save']"));
        assertThat(browser.driver().findElement(By.cssSelector("p.message")).getText()).contains("Brouillon enregistré");
        browser.driver().findElement(By.id("obstacle-no")).click();
        browser.submit(By.cssSelector("button[value='complete']"));
        assertThat(browser.driver().findElement(By.cssSelector("p.message")).getText()).contains("Certificat finalisé");
        File screenshot = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), DATA_DIR.resolve("certdc-draft.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
