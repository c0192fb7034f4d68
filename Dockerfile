# syntax=docker/dockerfile:1
#
# Pulse's container image: docker build -t pulse .
#
# Two stages. The build stage has a JDK, Maven and the whole dependency tree; none of that is
# needed at run time, so the runtime stage starts again from a JRE and takes only the extracted
# application from the build stage. The result has no compiler, no Maven and no source code.
#
# src/test/java/dev/pulse/image/PackagedJarIT.java checks this file's shape (stages, user,
# layer order, entry point) against the packaged jar, and starts the extracted layout the way
# the runtime stage does, with a read-only working directory and a non-root user.

# ---------------------------------------------------------------------------------------------
# Stage 1: build. JDK 17 (the project's java.version), the Maven wrapper, the layered jar.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /build

# Only what the build reads (no target/, .git, helm/: see .dockerignore). The local Maven
# repository, and the Maven distribution the wrapper downloads, live in a BuildKit cache mount:
# they survive between builds, so a source change does not download the dependencies again,
# and they never end up in a layer. --chmod keeps the wrapper executable from any checkout.
COPY --chmod=0755 mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY src/ src/

# Tests run in CI (./mvnw verify), not in the image build: they need loopback servers,
# PostgreSQL and Prometheus, which a build sandbox does not have. The spring-javaformat check
# still runs (validate phase).
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package

# Split the Spring Boot jar into its layers (BOOT-INF/layers.idx), one folder per layer, with
# the launcher classes. Boot 3.3+ and 4 use the "tools" jar mode; the older "layertools" mode is
# gone. The glob matches only the repackaged jar, not pulse-*.jar.original.
RUN java -Djarmode=tools -jar target/pulse-*.jar extract --layers --launcher --destination extracted

# ---------------------------------------------------------------------------------------------
# Stage 2: runtime. A JRE 17 on the same Ubuntu release, nothing else.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre-noble

# A fixed, numeric, non-root user and group 10001: the Helm chart sets runAsUser/runAsGroup
# 10001, and a numeric USER lets Kubernetes' runAsNonRoot check it without reading /etc/passwd.
# /data belongs to that user: it is the only place Pulse writes to (besides /tmp).
# /app/data -> /data: Pulse's default store is ./data/pulse.db relative to the working directory
# (/app), so the default configuration already writes to /data and the image needs no
# SPRING_DATASOURCE_URL (an image-wide environment variable would silently override a
# spring.datasource.url set in a mounted application.yaml).
RUN groupadd --system --gid 10001 pulse \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin pulse \
    && mkdir -p /app /data \
    && chown 10001:10001 /data \
    && ln -s /data /app/data

WORKDIR /app

# One COPY per layer, from the least to the most often changed, in the order of
# BOOT-INF/layers.idx. A new Pulse build that changes only its own classes rebuilds, pushes and
# pulls only the last (small) layer; the ~100 third-party jars stay cached.
# The files stay owned by root and are not writable by 10001: the application cannot modify
# itself, and the chart can mount the root filesystem read-only.
#   dependencies:          released third-party jars (BOOT-INF/lib), change on a version bump
COPY --from=build /build/extracted/dependencies/ ./
#   spring-boot-loader:    the launcher (org/springframework/boot/loader), changes with Boot
COPY --from=build /build/extracted/spring-boot-loader/ ./
#   snapshot-dependencies: -SNAPSHOT jars, which change between builds (empty today)
COPY --from=build /build/extracted/snapshot-dependencies/ ./
#   application:           Pulse's classes and resources, changes with every commit
COPY --from=build /build/extracted/application/ ./

# The SQLite store (./data/pulse.db -> /data/pulse.db). With `docker run` this keeps the
# registered targets in a volume (give it a name: -v pulse-data:/data); in Kubernetes the
# chart mounts a PersistentVolumeClaim or an emptyDir here. PostgreSQL users can ignore it.
VOLUME /data

# The API, the actuator (/actuator/health/liveness, /actuator/health/readiness,
# /actuator/prometheus) and /heartbeat share one port.
EXPOSE 8080

# The heap follows the container's memory limit (75% of it, leaving room for metaspace, thread
# stacks, Netty's direct buffers and the code cache), and an OutOfMemoryError ends the process
# instead of leaving a half-working JVM, so the orchestrator restarts it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001

# Exec form: java is PID 1 and receives SIGTERM directly, so server.shutdown=graceful drains
# in-flight requests. JarLauncher (the Main-Class of the jar) finds BOOT-INF/classes,
# BOOT-INF/lib and BOOT-INF/classpath.idx in the working directory; the default class path "."
# is /app, where the loader classes are.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
