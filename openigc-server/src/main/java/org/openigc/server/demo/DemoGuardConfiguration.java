package org.openigc.server.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DemoGuardConfiguration {
    /** Static: a BeanFactoryPostProcessor runs before any other bean is created. */
    @Bean
    static DemoModeGuard demoModeGuard() {
        return new DemoModeGuard();
    }
}
