package dev.pulse.api;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.annotation.JsonNaming;

import org.springframework.beans.BeanUtils;
import org.springframework.stereotype.Component;

/**
 * Describes Pulse's JSON records as Jackson 3 writes and reads them. springdoc
 * introspects with Jackson 2, which sees {@code @JsonProperty} but not Jackson 3's
 * {@code @JsonNaming}, so it named the kebab-case fields of a PUT body in camelCase. Each
 * property is renamed here by the record's own naming strategy, the very object Jackson
 * uses, so the description cannot drift from the wire. The JSpecify nullness of each
 * component says the rest: a {@code @Nullable} one may be null or left out, any other is
 * required. Pulse's records are closed ({@code additionalProperties: false}): the API
 * rejects unknown fields (spring.jackson.deserialization.fail-on-unknown-properties) and
 * writes none.
 */
@Component
class JsonRecordSchemas implements ModelConverter {

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
		if (!chain.hasNext()) {
			return null;
		}
		Schema schema = chain.next().resolve(type, context, chain);
		Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
		if (schema == null || !raw.isRecord() || !raw.getPackageName().startsWith("dev.pulse")) {
			return schema;
		}
		// A named model comes back as a reference; its definition is in the context.
		Schema model = (schema.get$ref() != null)
				? context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1))
				: schema;
		if (model != null && model.getProperties() != null && !Boolean.FALSE.equals(model.getAdditionalProperties())) {
			describe(raw, model);
		}
		return schema;
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void describe(Class<?> raw, Schema schema) {
		PropertyNamingStrategy naming = naming(raw);
		Map<String, Schema> properties = schema.getProperties();
		Map<String, Schema> renamed = new LinkedHashMap<>();
		List<String> required = new ArrayList<>();
		for (RecordComponent component : raw.getRecordComponents()) {
			Schema property = properties.get(component.getName());
			String name = jsonName(component, naming);
			if (property == null) {
				property = properties.get(name);
			}
			if (property == null) {
				continue;
			}
			if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				property = orNull(property);
			}
			else {
				required.add(name);
			}
			renamed.put(name, property);
		}
		schema.setProperties(renamed);
		schema.setRequired(required.isEmpty() ? null : required);
		schema.setAdditionalProperties(false);
	}

	private static @Nullable PropertyNamingStrategy naming(Class<?> type) {
		JsonNaming naming = type.getAnnotation(JsonNaming.class);
		return (naming != null) ? BeanUtils.instantiateClass(naming.value()) : null;
	}

	private static String jsonName(RecordComponent component, @Nullable PropertyNamingStrategy naming) {
		JsonProperty explicit = component.getAnnotation(JsonProperty.class);
		if (explicit == null && component.getAccessor() != null) {
			explicit = component.getAccessor().getAnnotation(JsonProperty.class);
		}
		if (explicit != null && !explicit.value().isEmpty()) {
			return explicit.value();
		}
		return (naming != null) ? naming.nameForField(null, null, component.getName()) : component.getName();
	}

	/**
	 * The property or null. A plain type gains {@code "null"} among its types; a
	 * reference or an enumeration, whose values null is not among, becomes {@code anyOf}
	 * with null.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema orNull(Schema property) {
		if (property.get$ref() != null || property.getEnum() != null) {
			return new JsonSchema().anyOf(List.of(property, new JsonSchema().types(Set.of("null"))));
		}
		Set<String> types = new LinkedHashSet<>();
		if (property.getTypes() != null) {
			types.addAll(property.getTypes());
		}
		else if (property.getType() != null) {
			types.add(property.getType());
		}
		types.add("null");
		property.setTypes(types);
		return property;
	}

}
