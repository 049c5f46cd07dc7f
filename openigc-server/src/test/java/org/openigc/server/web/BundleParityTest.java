package org.openigc.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every UI message of a French bundle ({@code messages*.properties} on the classpath, the server's and the modules')
 * has an English counterpart in the matching {@code _en} bundle: a missing key fails with its bundle and name.
 */
class BundleParityTest {
    private static final PathMatchingResourcePatternResolver RESOLVER = new PathMatchingResourcePatternResolver();

    private static Properties load(Resource resource) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** The French bundles by base name (messages, messages-certificates, …), as the message source lists them. */
    private static Map<String, Resource> frenchBundles() throws IOException {
        Map<String, Resource> bundles = new TreeMap<>();
        for (Resource resource : RESOLVER.getResources("classpath*:messages*.properties")) {
            String name = resource.getFilename();
            if (name != null && !name.matches(".*_[a-z]{2}(_[A-Z]{2})?\\.properties")) {
                bundles.put(name.substring(0, name.length() - ".properties".length()), resource);
            }
        }
        return bundles;
    }

    @Test
    void theFrenchBundlesAreFound() throws IOException {
        assertThat(frenchBundles().keySet()).contains("messages", "messages-certificates", "messages-dashboards",
                "messages-habilitation", "messages-mail", "messages-audit", "messages-certdc");
    }

    @Test
    void everyFrenchKeyHasAnEnglishTranslation() throws IOException {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (Map.Entry<String, Resource> bundle : frenchBundles().entrySet()) {
            Resource[] english = RESOLVER.getResources("classpath*:" + bundle.getKey() + "_en.properties");
            assertThat(english).as("English bundle %s_en.properties", bundle.getKey()).isNotEmpty();
            Properties en = new Properties();
            for (Resource resource : english) {
                en.putAll(load(resource));
            }
            Set<String> absent = new TreeSet<>();
            for (String key : load(bundle.getValue()).stringPropertyNames()) {
                if (!en.containsKey(key) || en.getProperty(key).isBlank()) {
                    absent.add(key);
                }
            }
            if (!absent.isEmpty()) {
                missing.put(bundle.getKey() + "_en.properties", absent);
            }
        }
        assertThat(missing).as("French keys without an English translation").isEmpty();
    }
}
