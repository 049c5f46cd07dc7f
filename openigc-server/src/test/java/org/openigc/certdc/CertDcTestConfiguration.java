package org.openigc.certdc;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Test-only additions, registered for every test context through the test class path's auto-configuration
 * imports (so the platform's tests and CertDC's share one application context and its ports).
 */
@AutoConfiguration
public class CertDcTestConfiguration {

    @Bean
    static BeanPostProcessor certDcRecordingMailer() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof CertDcMailer mailer && !(bean instanceof RecordingMailer)
                        ? new RecordingMailer(mailer) : bean;
            }
        };
    }
}
