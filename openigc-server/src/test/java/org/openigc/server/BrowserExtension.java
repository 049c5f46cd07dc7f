package org.openigc.server;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
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
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> replaced(page));
    }

    /**
     * Whether the old document is gone. Chromium sometimes answers "Node with given id does not belong to the
     * document" instead of a stale element while it swaps documents: that also means replaced.
     */
    private static boolean replaced(WebElement page) {
        try {
            page.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    public void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }
}
