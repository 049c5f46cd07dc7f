package org.openigc.server.habilitation;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.openigc.server.BrowserExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Form 413 in a real browser (Debian's chromium through chromedriver, headless): the persona picker, the form with a
 * wrong FINESS (error on the field, nothing stored) then the right one, the operator's approval from the queue, and
 * the approval mail in the demo mailbox.
 */
class HabilitationBrowserIT extends HabilitationTestSupport {
    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension("1280,2000");

    @AfterEach
    void stopBrowser() {
        if (browser.driver() != null) {
            browser.driver().quit();
        }
    }

    private void loginAs(String persona) {
        browser.driver().get(https("/demo/personas"));
        assertThat(browser.driver().findElement(By.cssSelector(".demo-banner")).getText()).contains("DÉMONSTRATION");
        browser.submit(By.cssSelector("form[action$='/demo/personas/" + persona + "'] button"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/app");
    }

    /** Kept next to the test data for a look at the pages (not asserted). */
    private void screenshot(String name) throws java.io.IOException {
        File file = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), DATA_DIR.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private List<String> errorsOf(String inputId) {
        return browser.driver().findElements(By.xpath("//input[@id='" + inputId + "']/following-sibling::p[@class='field-error']"))
                .stream().map(WebElement::getText).toList();
    }

    @Test
    void legalRepresentativeFillsTheFormOperatorApprovesAndTheMailArrives() throws Exception {
        String signatoryEmail = uniqueEmail("navigateur");
        String adminEmail = uniqueEmail("navigateur-dsi");
        loginAs("legal-chu");
        browser.submit(By.linkText("Formulaires 413"));
        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Mes dossiers 413");
        browser.submit(By.id("new-413"));
        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Formulaire 413 — habilitation des administrateurs techniques");
        assertThat(browser.driver().findElement(By.id("signatory-lastName")).getAttribute("value")).isEqualTo("LEGRAND");
        assertThat(browser.driver().findElement(By.id("signatory-role-LEGAL_REPRESENTATIVE")).isSelected()).isTrue();

        browser.type("structure-name", "CHU DEMO - HOPITAL SUD");
        browser.type("structure-finess", "750100027");
        browser.type("signatory-email", signatoryEmail);
        browser.type("admin-0-cardNumber", ADMIN_CHU_CARD);
        browser.type("admin-0-lastName", "ADMIN");
        browser.type("admin-0-firstName", "Antoine");
        browser.type("admin-0-phone", "01 40 00 00 00");
        browser.type("admin-0-email", adminEmail);
        browser.type("usage-description", "Authentification et signature sur le DMP");
        browser.type("usage-editor", "Éditeur DPI");
        browser.driver().findElement(By.id("offer-ORG")).click();

        // A second row, then removed again: no JavaScript needed, the values stay.
        browser.submit(By.id("add-administrator"));
        assertThat(browser.driver().findElements(By.cssSelector("#administrators tbody tr"))).hasSize(2);
        assertThat(browser.driver().findElement(By.id("admin-0-email")).getAttribute("value")).isEqualTo(adminEmail);
        browser.submit(By.id("admin-1-remove"));
        assertThat(browser.driver().findElements(By.cssSelector("#administrators tbody tr"))).hasSize(1);

        long before = dossiers();
        // Enter in a field submits the form (the hidden default button), it never removes a row.
        WebElement form = browser.driver().findElement(By.tagName("html"));
        browser.driver().findElement(By.id("structure-finess")).sendKeys(Keys.ENTER);
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(form));
        assertThat(browser.driver().findElements(By.cssSelector("#administrators tbody tr"))).hasSize(1);
        assertThat(browser.driver().findElement(By.id("form-errors")).getText()).contains("rien n'a été enregistré");
        assertThat(errorsOf("structure-finess")).containsExactly(
                "« FINESS géographique (ou juridique) » a une clé de contrôle fausse (règle : clé de contrôle Luhn du FINESS).");
        assertThat(browser.driver().findElement(By.id("structure-finess")).getAttribute("value")).isEqualTo("750100027");
        assertThat(browser.driver().findElement(By.id("offer-ORG")).isSelected()).isTrue();
        assertThat(dossiers()).as("nothing stored").isEqualTo(before);
        screenshot("habilitation-form-errors");

        browser.type("structure-finess", CHU_SUD);
        browser.submit(By.id("submit-413"));
        String reference = browser.driver().findElement(By.id("reference")).getText();
        assertThat(reference).matches("413-\\d{4}-\\d{6}");
        assertThat(browser.driver().findElement(By.id("status")).getText()).isEqualTo("Reçu — en cours d’instruction");
        assertThat(browser.driver().findElement(By.id("submitted-notice")).getText()).contains(signatoryEmail);
        assertThat(dossiers()).isEqualTo(before + 1);

        loginAs("operator");
        browser.submit(By.linkText("Formulaires 413"));
        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Dossiers 413 à instruire");
        WebElement row = browser.driver().findElement(By.cssSelector("tr[data-reference='" + reference + "']"));
        assertThat(row.getText()).contains("CHU DEMO - HOPITAL SUD").contains("0 / 3 j. ouvrés");
        assertThat(row.getAttribute("data-late")).isEqualTo("false");
        screenshot("habilitation-queue");
        browser.submit(By.linkText(reference));
        assertThat(browser.driver().findElements(By.cssSelector("#prerequisites tr[data-passed='true']"))).hasSize(3);
        screenshot("habilitation-dossier");
        try {
            browser.submit(By.id("approve"));
            assertThat(browser.driver().findElement(By.id("status")).getAttribute("data-status")).isEqualTo("APPROVED");
            assertThat(browser.driver().findElement(By.id("notice")).getText()).startsWith("Dossier approuvé");
            awaitMailsTo(adminEmail, 1);

            browser.driver().get(https("/demo/mails"));
            List<String> subjects = browser.driver().findElements(By.cssSelector("article.mail h2")).stream().map(WebElement::getText).toList();
            assertThat(subjects).contains("[OpenIGC] Formulaire 413 approuvé — dossier " + reference,
                    "[OpenIGC] Vous êtes habilité à commander les certificats de CHU DEMO - HOPITAL SUD",
                    "[OpenIGC] Formulaire 413 reçu — dossier " + reference);
            screenshot("habilitation-mails");
        } finally {
            revokeGrantsOf(reference); // admin-chu's demo rights, as other test classes expect them
        }
    }
}
