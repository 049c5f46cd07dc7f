package org.openigc.server.dashboards;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.openigc.server.BrowserExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Real chromium: the Île-de-France referent logs in, filters by département, sees the charts, downloads the XLSX. */
class DashboardBrowserIT extends ServerTestSupport {
    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension("1400,1800");

    @AfterEach
    void stopBrowser() {
        if (browser.driver() != null) {
            browser.driver().quit();
        }
    }

    @Test
    void referentFiltersByDepartementSeesTheChartsAndDownloadsTheXlsx() throws Exception {
        browser.driver().get(https("/demo/personas"));
        browser.submit(By.cssSelector("form[action$='/demo/personas/referent-idf'] button"));
        browser.submit(By.id("nav-dashboards"));
        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Tableaux de bord du déploiement");
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("CHU DEMO").doesNotContain("BORDEAUX");

        WebElement departement = browser.driver().findElement(By.id("departement"));
        departement.clear();
        departement.sendKeys("92");
        new Select(browser.driver().findElement(By.id("environment"))).selectByValue("PRODUCTION");
        browser.submit(By.id("apply"));
        assertThat(browser.driver().getCurrentUrl()).contains("departement=92");
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#dashboard-table tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getText()).contains("CHU DEMO - HOPITAL NORD").contains("92");
        assertThat(browser.driver().findElement(By.cssSelector("#chart-expiry svg")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElement(By.cssSelector("#chart-coverage svg")).getText()).contains("Île-de-France");

        String href = browser.driver().findElement(By.id("export-xlsx")).getAttribute("href");
        assertThat(href).contains("structures.xlsx").contains("departement=92");
        Object base64 = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
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
