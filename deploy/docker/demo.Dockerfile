# The demo agent fleet, an ordinary Java application, plus the memtrace agent and its configuration.
# Nothing here switches memtrace on: docker-compose.yml does, through JAVA_TOOL_OPTIONS and the OTEL_*
# variables, the way a staging deployment would. Copies the Maven artifacts, so build them first:
# mvn -B -q install -DskipTests.

# DemoLoop runs the demo's scenario again and again in one JVM; it is compiled against the demo jar.
FROM eclipse-temurin:17.0.13_11-jdk AS loop
COPY demo-app/target/memtrace-demo.jar /build/memtrace-demo.jar
COPY deploy/docker/DemoLoop.java /build/src/DemoLoop.java
RUN javac --release 17 -cp /build/memtrace-demo.jar -d /build/classes /build/src/DemoLoop.java

FROM eclipse-temurin:17.0.13_11-jre

# the application
COPY demo-app/target/memtrace-demo.jar /opt/demo/memtrace-demo.jar
COPY --from=loop /build/classes /opt/demo/classes

# memtrace: the agent jar and the YAML that maps the fleet's classes to spans
COPY agent/target/memtrace-agent.jar /opt/memtrace/memtrace-agent.jar
COPY demo-app/memtrace.yaml /opt/memtrace/memtrace.yaml

ENTRYPOINT ["java", "-cp", "/opt/demo/memtrace-demo.jar:/opt/demo/classes", "com.acme.demo.loop.DemoLoop"]
