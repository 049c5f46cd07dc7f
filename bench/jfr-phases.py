#!/usr/bin/env python3
"""Where an order's time goes, by phase, from the request threads' full stacks of a JFR recording.

Usage: jfr print --events jdk.ExecutionSample --stack-depth 400 server.jfr > samples.txt
       bench/jfr-phases.py samples.txt
(with --stack-depth 400 every request stack is whole; bench/jfr-summary.py asks for the same depth.)
Prints the inclusive share of each phase among the request threads' samples.
"""
import sys
f = open(sys.argv[1])
samples=[]; cur=None; thread=None
for line in f:
    line=line.rstrip()
    if line.startswith('jdk.ExecutionSample'): cur=[]; thread=None
    elif 'sampledThread' in line: thread=line
    elif line.startswith('    ') and cur is not None and '(' in line:
        cur.append(line.strip().split('(')[0])
    elif line=='}' and cur is not None:
        if thread and 'https-jsse' in thread: samples.append(cur)
        cur=None
n=len(samples); print('request samples',n)
cats=[('card auth (CardAuthenticator.authenticate)','CardAuthenticator.authenticate'),
('login audit','LoginAudit.'),
('JSON request read','readWithMessageConverters'),
('JSON response write','handleReturnValue'),
('order: resolve (structure/mandate checks)','CertificateService.resolve'),
('order: key (CSR check + key in use)','CertificateService.key'),
('order: issuance (CA)','IssuanceService.issue'),
('order: recordProduct (+revocation code hash)','CertificateRepository.recordProduct'),
('order: revocation code encode','RevocationCodes.encode'),
('order: re-read find','CertificateRepository.find'),
('order: mailModel','CertificateService.mailModel'),
('order: mail render','MailRenderer.render'),
('order: outbox insert','OutboxRepository.insert'),
('order: view','CertificateService.view'),
('order: audit record','AuditTrail.record'),
('order: publishEvent','publishEvent'),
('order total (CertificateService.order)','CertificateService.order'),
('tx begin/commit (TransactionInterceptor)','TransactionAspectSupport.invokeWithinTransaction'),
('commit','commitTransactionAfterReturning'),
('DispatcherServlet','DispatcherServlet.doDispatch'),
('security filter chain','FilterChainProxy.doFilter'),
('Micrometer','io.micrometer'),
('JDBC','org.postgresql'),
('Hikari','com.zaxxer'),
('TLS','sun.security.ssl'),
('Tomcat http parse','Http11Processor.service'),
('logback','ch.qos.logback'),
]
for name,pat in cats:
    k = sum(1 for s in samples if any(pat in fr for fr in s))
    print('%5.1f%%  %s' % (100 * k / n, name))
