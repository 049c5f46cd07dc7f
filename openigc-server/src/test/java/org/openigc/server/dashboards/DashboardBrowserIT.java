package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Real chromium: the Île-de-France referent logs in, filters by département, sees the charts, downloads the XLSX. */
class DashboardBrowserIT extends ServerTestSupport {
    private WebDriver driver;

    @BeforeEach
    void startBrowser() {
        driver = org.openigc.server.Browsers.headlessChromium("1400,1800");
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
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(page));
    }

    @Test
    void referentFiltersByDepartementSeesTheChartsAndDownloadsTheXlsx() throws Exception {
        driver.get(https("/demo/personas"));
        submit(By.cssSelector("form[action$='/demo/personas/referent-idf'] button"));
        submit(By.id("nav-dashboards"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Tableaux de bord du déploiement");
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("CHU DEMO").doesNotContain("BORDEAUX");

        WebElement departement = driver.findElement(By.id("departement"));
        departement.clear();
        departement.sendKeys("92");
        new Select(driver.findElement(By.id("environment"))).selectByValue("PRODUCTION");
        submit(By.id("apply"));
        assertThat(driver.getCurrentUrl()).contains("departement=92");
        List<WebElement> rows = driver.findElements(By.cssSelector("#dashboard-table tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getText()).contains("CHU DEMO - HOPITAL NORD").contains("92");
        assertThat(driver.findElement(By.cssSelector("#chart-expiry svg")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.cssSelector("#chart-coverage svg")).getText()).contains("Île-de-France");

        String href = driver.findElement(By.id("export-xlsx")).getAttribute("href");
        assertThat(href).contains("structures.xlsx").contains("departement=92");
        Object base64 = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer()).then(b => {
                  let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); done(btoa(s));
                }).catch(e => done('ERROR ' + e));""", href);
        byte[] xlsx = Base64.getDecoder().decode((String) base64);
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            List<Row> sheet = workbook.getFirstSheet().read();
            assertThat(sheet).hasSize(2);
            assertThat(sheet.get(0).getCellText(2)).isEqualTo("Nom");
            assertThat(sheet.get(1).getCellText(1)).isEqualTo("920100047");
            assertThat(sheet.get(1).getCellText(5)).isEqualTo("92");
        }
    }
}
