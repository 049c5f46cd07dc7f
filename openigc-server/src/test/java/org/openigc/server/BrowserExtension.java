package org.openigc.server;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless chromium per test ({@code @RegisterExtension}), quit after it, with the two gestures every browser test
 * needs: submitting a form and waiting for the next page, and typing into a field.
 */
public final class BrowserExtension implements BeforeEachCallback, AfterEachCallback {
    private final String windowSize;
    private WebDriver driver;

    public BrowserExtension(String windowSize) {
        this.windowSize = windowSize;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        driver = Browsers.headlessChromium(windowSize);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Clicks a button that submits a form and waits for the next page to replace this one. */
    public void submit(By button) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(page));
    }

    public void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }
}
