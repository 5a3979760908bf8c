# The memtrace collector sidecar: OTLP/HTTP in, the DuckDB span store, SQL, reports and the trace view.
# Copies the Maven artifact, so build it first: mvn -B -q install -DskipTests (docker-compose.yml builds
# this image with the repository root as context; .dockerignore lets only the artifacts in).
FROM eclipse-temurin:17.0.13_11-jre

COPY collector/target/memtrace-collector.jar /opt/memtrace/memtrace-collector.jar

WORKDIR /data
VOLUME /data
EXPOSE 4318

ENTRYPOINT ["java", "-jar", "/opt/memtrace/memtrace-collector.jar"]
# 0.0.0.0: the collector binds 127.0.0.1 by default, which other containers cannot reach
CMD ["serve", "--port", "4318", "--bind", "0.0.0.0", "--data", "/data"]
