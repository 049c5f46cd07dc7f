package org.openigc.certdc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.openigc.certdc.connection.ServerCertificates;
import org.openigc.certdc.deposit.PurgeJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * What CertDC does on its own once the application is ready: the purge catch-up then the periodic purge, the check
 * of the server certificate (renewed → managers mailed), the demo data (retried until the personas' cards exist)
 * and the configured administrators. Its own single-thread scheduler, so it does not depend on the host enabling
 * scheduling.
 */
public final class CertDcLifecycle implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(CertDcLifecycle.class);

    private final PurgeJob purge;
    private final ServerCertificates serverCertificates;
    private final CertDcDemo demo;
    private final CertDcAdministrators administrators;
    private final Duration purgeInterval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "certdc-jobs");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean demoDone;

    public CertDcLifecycle(PurgeJob purge, ServerCertificates serverCertificates, CertDcDemo demo,
                           CertDcAdministrators administrators, Duration purgeInterval) {
        this.purge = purge;
        this.serverCertificates = serverCertificates;
        this.demo = demo;
        this.administrators = administrators;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        safely("purge", purge::run);
        safely("server-certificate", serverCertificates::checkRenewal);
        safely("administrators", administrators::ensure);
        if (demo != null) {
            safely("demo", () -> demoDone = demo.seed());
        }
        long interval = Math.max(1, purgeInterval.toMillis());
        scheduler.scheduleWithFixedDelay(() -> safely("purge", purge::run), interval, interval, TimeUnit.MILLISECONDS);
        if (demo != null) {
            // until the personas' cards exist, seed again; afterwards only keep the README section in place (the
            // platform's demo seeding writes the rest of that file, possibly after us)
            scheduler.scheduleWithFixedDelay(() -> safely("demo", () -> {
                if (!demoDone) {
                    demoDone = demo.seed();
                } else {
                    demo.writeReadme();
                }
            }), 5, 30, TimeUnit.SECONDS);
        }
    }

    private static void safely(String job, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("event=certdc-job-failed job={} reason=\"{}\"", job, e.toString());
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
