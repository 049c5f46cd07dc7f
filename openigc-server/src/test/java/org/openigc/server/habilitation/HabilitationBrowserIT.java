package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Form 413 in a real browser (Debian's chromium through chromedriver, headless): the persona picker, the form with a
 * wrong FINESS (error on the field, nothing stored) then the right one, the operator's approval from the queue, and
 * the approval mail in the demo mailbox.
 */
class HabilitationBrowserIT extends HabilitationTestSupport {
    private WebDriver driver;

    @BeforeEach
    void startBrowser() {
        driver = org.openigc.server.Browsers.headlessChromium("1280,2000");
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

    private void loginAs(String persona) {
        driver.get(https("/demo/personas"));
        assertThat(driver.findElement(By.cssSelector(".demo-banner")).getText()).contains("DÉMONSTRATION");
        submit(By.cssSelector("form[action$='/demo/personas/" + persona + "'] button"));
        assertThat(driver.getCurrentUrl()).endsWith("/app");
    }

    /** Kept next to the test data for a look at the pages (not asserted). */
    private void screenshot(String name) throws java.io.IOException {
        File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), DATA_DIR.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private List<String> errorsOf(String inputId) {
        return driver.findElements(By.xpath("//input[@id='" + inputId + "']/following-sibling::p[@class='field-error']"))
                .stream().map(WebElement::getText).toList();
    }

    @Test
    void legalRepresentativeFillsTheFormOperatorApprovesAndTheMailArrives() throws Exception {
        String signatoryEmail = uniqueEmail("navigateur");
        String adminEmail = uniqueEmail("navigateur-dsi");
        loginAs("legal-chu");
        submit(By.linkText("Formulaires 413"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Mes dossiers 413");
        submit(By.id("new-413"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Formulaire 413 — habilitation des administrateurs techniques");
        assertThat(driver.findElement(By.id("signatory-lastName")).getAttribute("value")).isEqualTo("LEGRAND");
        assertThat(driver.findElement(By.id("signatory-role-LEGAL_REPRESENTATIVE")).isSelected()).isTrue();

        type("structure-name", "CHU DEMO - HOPITAL SUD");
        type("structure-finess", "750100027");
        type("signatory-email", signatoryEmail);
        type("admin-0-cardNumber", ADMIN_CHU_CARD);
        type("admin-0-lastName", "ADMIN");
        type("admin-0-firstName", "Antoine");
        type("admin-0-phone", "01 40 00 00 00");
        type("admin-0-email", adminEmail);
        type("usage-description", "Authentification et signature sur le DMP");
        type("usage-editor", "Éditeur DPI");
        driver.findElement(By.id("offer-ORG")).click();

        // A second row, then removed again: no JavaScript needed, the values stay.
        submit(By.id("add-administrator"));
        assertThat(driver.findElements(By.cssSelector("#administrators tbody tr"))).hasSize(2);
        assertThat(driver.findElement(By.id("admin-0-email")).getAttribute("value")).isEqualTo(adminEmail);
        submit(By.id("admin-1-remove"));
        assertThat(driver.findElements(By.cssSelector("#administrators tbody tr"))).hasSize(1);

        long before = dossiers();
        // Enter in a field submits the form (the hidden default button), it never removes a row.
        WebElement form = driver.findElement(By.tagName("html"));
        driver.findElement(By.id("structure-finess")).sendKeys(Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(form));
        assertThat(driver.findElements(By.cssSelector("#administrators tbody tr"))).hasSize(1);
        assertThat(driver.findElement(By.id("form-errors")).getText()).contains("rien n'a été enregistré");
        assertThat(errorsOf("structure-finess")).containsExactly(
                "« FINESS géographique (ou juridique) » a une clé de contrôle fausse (règle : clé de contrôle Luhn du FINESS).");
        assertThat(driver.findElement(By.id("structure-finess")).getAttribute("value")).isEqualTo("750100027");
        assertThat(driver.findElement(By.id("offer-ORG")).isSelected()).isTrue();
        assertThat(dossiers()).as("nothing stored").isEqualTo(before);
        screenshot("habilitation-form-errors");

        type("structure-finess", CHU_SUD);
        submit(By.id("submit-413"));
        String reference = driver.findElement(By.id("reference")).getText();
        assertThat(reference).matches("413-\\d{4}-\\d{6}");
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Reçu — en cours d’instruction");
        assertThat(driver.findElement(By.id("submitted-notice")).getText()).contains(signatoryEmail);
        assertThat(dossiers()).isEqualTo(before + 1);

        loginAs("operator");
        submit(By.linkText("Formulaires 413"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Dossiers 413 à instruire");
        WebElement row = driver.findElement(By.cssSelector("tr[data-reference='" + reference + "']"));
        assertThat(row.getText()).contains("CHU DEMO - HOPITAL SUD").contains("0 / 3 j. ouvrés");
        assertThat(row.getAttribute("data-late")).isEqualTo("false");
        screenshot("habilitation-queue");
        submit(By.linkText(reference));
        assertThat(driver.findElements(By.cssSelector("#prerequisites tr[data-passed='true']"))).hasSize(3);
        screenshot("habilitation-dossier");
        try {
            submit(By.id("approve"));
            assertThat(driver.findElement(By.id("status")).getAttribute("data-status")).isEqualTo("APPROVED");
            assertThat(driver.findElement(By.id("notice")).getText()).startsWith("Dossier approuvé");
            awaitMailsTo(adminEmail, 1);

            driver.get(https("/demo/mails"));
            List<String> subjects = driver.findElements(By.cssSelector("article.mail h2")).stream().map(WebElement::getText).toList();
            assertThat(subjects).contains("[OpenIGC] Formulaire 413 approuvé — dossier " + reference,
                    "[OpenIGC] Vous êtes habilité à commander les certificats de CHU DEMO - HOPITAL SUD",
                    "[OpenIGC] Formulaire 413 reçu — dossier " + reference);
            screenshot("habilitation-mails");
        } finally {
            revokeGrantsOf(reference); // admin-chu's demo rights, as other test classes expect them
        }
    }
}
