package org.openigc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium driven headless by Debian's chromedriver, in French, trusting the platform's own HTTPS. */
public final class Browsers {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browsers() {
    }

    /** @param windowSize e.g. {@code 1280,2000} */
    public static WebDriver headlessChromium(String windowSize) {
        // a missing browser fails the run (never a silent skip): ./openigc test installs it
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("chromium and chromedriver (scripts/ensure-test-tools.sh installs them)").isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--ignore-certificate-errors", "--lang=fr-FR",
                "--window-size=" + windowSize);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "fr-FR,fr"));
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
