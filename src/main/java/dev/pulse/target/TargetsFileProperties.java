package dev.pulse.target;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A file of targets beside {@code pulse.targets}, bound from {@code pulse.targets-file}
 * and {@code pulse.targets-file-poll-interval}.
 *
 * @param targetsFile a YAML or JSON file of targets in the shape of {@code pulse.targets}
 * (a mapping of name to definition), read by Pulse's own reader; default none
 * @param targetsFilePollInterval how often the file is checked for a change, which is
 * applied without a restart (a Kubernetes ConfigMap mounted as a volume changes in
 * place); default 5s
 */
@ConfigurationProperties("pulse")
@Validated
public record TargetsFileProperties(@Nullable String targetsFile,
		@DefaultValue("5s") @DurationMin(millis = 100) Duration targetsFilePollInterval) {

	/** No targets file. */
	public static final TargetsFileProperties NONE = new TargetsFileProperties(null, Duration.ofSeconds(5));

}
