package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openigc.server.web.ConflictException;

class DossierTransitionTest {

    @Test
    void theWorkflowOfSpec31() {
        DossierStatus s = DossierTransition.SUBMIT.target();
        assertThat(s).isEqualTo(DossierStatus.SUBMITTED);
        s = DossierTransition.ACKNOWLEDGE.from(s);
        assertThat(s).isEqualTo(DossierStatus.ACKNOWLEDGED);
        s = DossierTransition.REQUEST_INFORMATION.from(s);
        assertThat(s).isEqualTo(DossierStatus.INFORMATION_REQUESTED);
        s = DossierTransition.RESUBMIT.from(s);
        assertThat(s).isEqualTo(DossierStatus.SUBMITTED);
        s = DossierTransition.ACKNOWLEDGE.from(s);
        assertThat(DossierTransition.APPROVE.from(s)).isEqualTo(DossierStatus.APPROVED);
        assertThat(DossierTransition.REJECT.from(s)).isEqualTo(DossierStatus.REJECTED);
        assertThat(DossierTransition.REJECT.from(DossierStatus.INFORMATION_REQUESTED)).isEqualTo(DossierStatus.REJECTED);
    }

    @ParameterizedTest
    @EnumSource(DossierStatus.class)
    void onlyAnAcknowledgedDossierIsApprovedOrSentBackForInformation(DossierStatus current) {
        Set<DossierStatus> allowed = EnumSet.of(DossierStatus.ACKNOWLEDGED);
        for (DossierTransition t : new DossierTransition[] {DossierTransition.APPROVE, DossierTransition.REQUEST_INFORMATION}) {
            if (allowed.contains(current)) {
                assertThat(t.from(current)).isEqualTo(t.target());
            } else {
                assertThatThrownBy(() -> t.from(current)).isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("habilitation.transition.notAllowed");
                    assertThat(e.status().value()).isEqualTo(409);
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DossierStatus.class, names = {"APPROVED", "REJECTED"})
    void nothingLeavesAFinalState(DossierStatus terminal) {
        assertThat(terminal.terminal()).isTrue();
        for (DossierTransition t : DossierTransition.values()) {
            assertThat(t.allowedFrom(terminal)).as(t.name()).isFalse();
        }
    }

    @Test
    void onlyADossierWaitingForInformationIsResubmitted() {
        for (DossierStatus s : DossierStatus.values()) {
            assertThat(DossierTransition.RESUBMIT.allowedFrom(s)).isEqualTo(s == DossierStatus.INFORMATION_REQUESTED);
        }
    }
}
