package dev.pulse.target;

import java.util.List;

/**
 * A rule on a resolved target that a later stage owns (for example, which failure reasons
 * exist). Every validator bean runs on every target the registry accepts, from
 * configuration or, later, from the API. A validator that needs no other bean is also
 * listed under this interface in {@code META-INF/spring.factories}, so that
 * {@link ConfigurationCheck} runs it on configured targets before any bean exists.
 */
public interface TargetValidator {

	/**
	 * Check a target.
	 * @param target the resolved target
	 * @param keyPrefix prefix of the keys named in violations, such as
	 * {@code pulse.targets.api.}
	 * @return the broken rules; empty when the target is fine
	 */
	List<InvalidTargetException.Violation> validate(Target target, String keyPrefix);

}
