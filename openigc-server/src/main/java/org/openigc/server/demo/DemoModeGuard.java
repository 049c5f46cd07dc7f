package org.openigc.server.demo;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Demo mode seeds well-known personas whose card keys are written to disk with the password "demo": it must never
 * be switched on by accident in production. With an external database ({@code spring.datasource.url}) and
 * {@code openigc.demo=true}, start-up stops here — before any bean touches the database — unless
 * {@code openigc.demo-force=true} says it is deliberate.
 */
public class DemoModeGuard implements BeanFactoryPostProcessor, EnvironmentAware {
    static final String MESSAGE = "Demo mode refused: openigc.demo=true with an external database "
            + "(spring.datasource.url is set). Demo mode creates well-known personas and card keys protected by the "
            + "well-known demo password; it is meant for the embedded database only. Remove openigc.demo, or set "
            + "openigc.demo-force=true if this database is really a demo one.";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String url = environment.getProperty("spring.datasource.url");
        boolean external = url != null && !url.isBlank();
        boolean demo = environment.getProperty("openigc.demo", Boolean.class, false);
        boolean force = environment.getProperty("openigc.demo-force", Boolean.class, false);
        if (external && demo && !force) {
            throw new IllegalStateException(MESSAGE);
        }
    }
}
