package org.openigc.server.status;

import java.time.Clock;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class OcspFilterConfiguration {
    /** Right after the plain-HTTP filter, before Spring Security. */
    @Bean
    FilterRegistrationBean<OcspFilter> ocspFilter(OcspResponder responder, Clock clock) {
        FilterRegistrationBean<OcspFilter> registration = new FilterRegistrationBean<>(new OcspFilter(responder, clock));
        registration.setName("ocsp");
        registration.addUrlPatterns("/ocsp", "/ocsp/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
