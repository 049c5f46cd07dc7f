package org.openigc.certdc.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpSession;

class CaptchaTest {
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    @Test
    void theImageIsAPngDrawnWithoutInstalledFonts() throws Exception {
        Captcha.Challenge challenge = Captcha.image(NOW);
        assertThat(challenge.text()).hasSize(5).matches("[ACDEFHJKLMNPRTUVWXY34679]{5}");
        var image = ImageIO.read(new ByteArrayInputStream(Captcha.png(challenge.text())));
        assertThat(image.getWidth()).isEqualTo(220);
        // something is drawn: many distinct colours
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).isGreaterThan(50);
    }

    @Test
    void anAnswerIsCheckedOnceCaseAndSpacesIgnored() {
        MockHttpSession session = new MockHttpSession();
        Captcha.Challenge challenge = Captcha.issue(session, Captcha.Kind.IMAGE, NOW);
        String typed = " " + challenge.answer().toLowerCase().charAt(0) + " " + challenge.answer().substring(1) + " ";
        assertThat(Captcha.verify(session, typed, NOW)).isTrue();
        assertThat(Captcha.verify(session, challenge.answer(), NOW)).as("single use").isFalse();

        Captcha.Challenge second = Captcha.issue(session, Captcha.Kind.IMAGE, NOW);
        assertThat(Captcha.verify(session, "wrong", NOW)).isFalse();
        assertThat(Captcha.verify(session, second.answer(), NOW)).as("a wrong answer used it up").isFalse();

        Captcha.Challenge expiring = Captcha.issue(session, Captcha.Kind.IMAGE, NOW);
        assertThat(Captcha.verify(session, expiring.answer(), NOW.plus(Duration.ofMinutes(16)))).isFalse();
        assertThat(Captcha.verify(session, null, NOW)).isFalse();
    }

    @Test
    void theAccessibleQuestionIsArithmeticInWords() {
        for (int i = 0; i < 50; i++) {
            Captcha.Challenge question = Captcha.question(NOW);
            assertThat(question.text()).startsWith("Combien font ").doesNotContainPattern("\\d");
            assertThat(Integer.parseInt(question.answer())).isBetween(0, 40);
        }
    }
}
