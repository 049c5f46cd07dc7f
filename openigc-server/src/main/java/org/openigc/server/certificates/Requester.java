package org.openigc.server.certificates;

import java.util.UUID;

/**
 * Who asks, as ordering sees it.
 *
 * @param cardLogin TEST certificates can only be ordered after a card login
 * @param operator  the agency's support sees and revokes everything
 */
public record Requester(UUID personId, String name, boolean cardLogin, boolean operator) {
}
