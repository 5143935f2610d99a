package dev.tether.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in headless Chromium (Debian's chromium and chromium-driver), against the jar as a user runs it:
 * open a session, wait for the responder, exchange messages, see the answers and the session's end. Runs in the
 * {@code browser} profile, which is active where /usr/bin/chromedriver exists.
 */
class DemoPageBrowserIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private LocalJar jar;
    private WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        jar = LocalJar.start("--idle-timeout", "3");
        jar.await("Press Ctrl-C to stop.", Duration.ofSeconds(60));
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    @DisplayName("the demo page opens a session, gets each answer with its round trip, and shows the idle end")
    void exchangesMessages() {
        browser.get(jar.baseUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        browser.findElement(By.id("open")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "ready"));
        send("{\"message\":\"PING\"}");
        send("second");
        wait.until(driver -> driver.findElements(By.cssSelector("#answers tbody tr.answered")).size() == 2);

        List<WebElement> rows = browser.findElements(By.cssSelector("#answers tbody tr"));
        assertThat(rows).hasSize(2);
        for (WebElement row : rows) {
            assertThat(row.findElement(By.className("answer")).getText()).isEqualTo("{\"message\":\"PONG\"}");
            assertThat(row.findElement(By.className("rtt")).getText()).matches("\\d+\\.\\d ms");
        }
        assertThat(rows.get(1).findElement(By.className("sent")).getText()).isEqualTo("{\"message\":\"second\"}");

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ended")));
        assertThat(browser.findElement(By.id("ended")).getText()).isEqualTo("The session ended: idle.");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    }

    private void send(String text) {
        WebElement message = browser.findElement(By.id("message"));
        message.clear();
        message.sendKeys(text);
        browser.findElement(By.id("submit")).click();
    }
}
