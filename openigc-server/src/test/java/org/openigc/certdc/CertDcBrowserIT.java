package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.ca.Environment;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A real browser (Debian's chromium through chromedriver) on CertDC's pages: the connection request, a doctor's retrieval. */
class CertDcBrowserIT extends CertDcTestSupport {
    private WebDriver driver;

    @BeforeEach
    void startBrowser() {
        driver = org.openigc.server.Browsers.headlessChromium("1200,1800");
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** Clicks a button that submits a form and waits for the next page to replace this one. */
    private void submit(By button) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(page));
    }

    private void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    @Test
    void aPersonRequestsTheConnectionOfItsSiInFrenchWithTheAccessibleCaptcha() {
        driver.get(https("/certdc/connexion"));
        assertThat(driver.getTitle()).contains("Raccorder un système d'information");
        assertThat(driver.findElement(By.cssSelector("img[src*='captcha.png']")).getAttribute("alt")).isNotBlank();
        String email = "browser-" + System.nanoTime() + "@chu.example";
        type("lastName", "LEROY");
        type("firstName", "Inès");
        type("function", "Responsable applicatif");
        type("email", email);
        type("phone", "01 40 00 00 00");
        type("address", "1 avenue du Parc");
        type("postcode", "75013");
        type("town", "Paris");
        type("siName", "DPI Paris");
        type("siVersion", "12.4");
        String legal = newFiness();
        driver.findElements(By.name("establishmentNumber")).getFirst().sendKeys(legal);
        submit(By.cssSelector("button[value='add']"));
        List<WebElement> numbers = driver.findElements(By.name("establishmentNumber"));
        assertThat(numbers).hasSize(2);
        assertThat(driver.findElement(By.id("lastName")).getAttribute("value")).isEqualTo("LEROY");
        numbers.get(1).sendKeys("750100018");
        new Select(driver.findElements(By.name("establishmentKind")).get(1)).selectByValue("EG");

        submit(By.cssSelector("button[value='question']"));
        String question = driver.findElement(By.id("captcha-question")).getText();
        type("captcha", solve(question));
        driver.findElement(By.id("consent")).click();
        submit(By.cssSelector("button[value='submit']"));

        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Demande de raccordement enregistrée");
        String reference = driver.findElement(By.id("reference")).getText();
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

        driver.get(https("/certdc/login"));
        type("login", rpps);
        type("password", password);
        submit(By.cssSelector("form[action$='/certdc/login'] button"));
        assertThat(driver.getCurrentUrl()).endsWith("/certdc/account/password");
        type("current", password);
        type("password", "Navigateur-Pass-2026");
        type("confirmation", "Navigateur-Pass-2026");
        submit(By.cssSelector("main form button"));
        driver.get(https("/certdc/doctor"));
        assertThat(driver.findElement(By.id("pending-sandbox")).getText()).contains("test");

        type("ipp", ipp);
        submit(By.cssSelector("form[action$='/certdc/doctor/search'] button"));
        WebElement name = driver.findElement(By.cssSelector("td .nom"));
        assertThat(name.getText()).isEqualTo("X' OR 'X");
        assertThat(driver.findElement(By.cssSelector("td .bac-a-sable")).getText()).contains("BAC À SABLE");
        assertThat(driver.findElement(By.id("profile")).isSelected()).isTrue();
        submit(By.cssSelector("form[action$='/certdc/doctor/drafts'] button"));

        assertThat(driver.findElement(By.cssSelector("#identity .birthName")).getText()).isEqualTo("X' OR 'X");
        assertThat(driver.findElement(By.cssSelector("#identity .firstNames")).getText()).isEqualTo("Zoé");
        assertThat(driver.findElement(By.id("deathDate")).getAttribute("value")).isEqualTo("2026-01-02");
        new Select(driver.findElement(By.id("deathPlaceType"))).selectByValue("ETABLISSEMENT_SANTE");
        type("immediateCause", "Détresse respiratoire");
        submit(By.cssSelector("button[value='save']"));
        assertThat(driver.findElement(By.cssSelector("p.message")).getText()).contains("Brouillon enregistré");
        driver.findElement(By.id("obstacle-no")).click();
        submit(By.cssSelector("button[value='complete']"));
        assertThat(driver.findElement(By.cssSelector("p.message")).getText()).contains("Certificat finalisé");
        File screenshot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), DATA_DIR.resolve("certdc-draft.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
