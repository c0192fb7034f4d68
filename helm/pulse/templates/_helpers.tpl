{{/*
Expand the name of the chart.
*/}}
{{- define "pulse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "pulse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "pulse.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "pulse.labels" -}}
helm.sh/chart: {{ include "pulse.chart" . }}
{{ include "pulse.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "pulse.name" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "pulse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pulse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "pulse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pulse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: repository, then @digest or :tag (the tag defaults to the appVersion).
*/}}
{{- define "pulse.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The Secret that holds the write token, and its key.
*/}}
{{- define "pulse.apiTokenSecretName" -}}
{{- if .Values.apiToken.existingSecret }}
{{- .Values.apiToken.existingSecret }}
{{- else }}
{{- printf "%s-api-token" (include "pulse.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "pulse.apiTokenSecretKey" -}}
{{- if .Values.apiToken.existingSecret }}
{{- .Values.apiToken.existingSecretKey }}
{{- else -}}
write-token
{{- end }}
{{- end }}

{{/*
Whether the embedded SQLite store keeps its file on a PVC (true), as opposed to PostgreSQL
or an emptyDir.
*/}}
{{- define "pulse.sqlitePvc" -}}
{{- if and (not .Values.postgresql.enabled) .Values.persistence.enabled }}true{{- end }}
{{- end }}

{{- define "pulse.pvcName" -}}
{{- default (printf "%s-data" (include "pulse.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/*
Pulse's application.yaml: pulse.* from .Values.pulse with pulse.targets from .Values.targets,
the "kubernetes" profile (which turns the embedded `self` demo target off), and extraConfig.
Target names with dots are bracketed so Spring Boot keeps them as one map key.
*/}}
{{- define "pulse.applicationYaml" -}}
{{- $targets := dict }}
{{- range $name, $target := .Values.targets }}
{{- if $target }}
{{- $key := ternary (printf "[%s]" $name) $name (contains "." $name) }}
{{- $_ := set $targets $key $target }}
{{- end }}
{{- end }}
{{- $pulse := deepCopy (default dict .Values.pulse) }}
{{- $_ := set $pulse "targets" $targets }}
{{- if .Values.discovery.kubernetes.enabled }}
{{- $kubernetes := dict "enabled" true "namespaces" (include "pulse.discoveryNamespaces" . | fromJsonArray) }}
{{- with .Values.discovery.kubernetes.serviceSelector }}
{{- $_ := set $kubernetes "service-selector" . }}
{{- end }}
{{- $discovery := mustMergeOverwrite (deepCopy (default dict $pulse.discovery)) (dict "kubernetes" $kubernetes) }}
{{- $_ := set $pulse "discovery" $discovery }}
{{- end }}
{{- $spring := dict "profiles" (dict "active" "kubernetes") "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ds" (sub (int .Values.terminationGracePeriodSeconds) 5))) }}
{{- $config := mustMergeOverwrite (dict "spring" $spring) (deepCopy (default dict .Values.extraConfig)) (dict "pulse" $pulse) }}
{{- toYaml $config }}
{{- end }}

{{/*
The pod's affinity: .Values.affinity when set; otherwise, with several replicas, a preferred
anti-affinity that spreads them over nodes (one node's loss then takes few partitions).
*/}}
{{- define "pulse.affinity" -}}
{{- if .Values.affinity }}
{{- toYaml .Values.affinity }}
{{- else if gt (int .Values.replicaCount) 1 }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "pulse.selectorLabels" . | nindent 12 }}
{{- end }}
{{- end }}

{{/*
Whether to create the PodDisruptionBudget: podDisruptionBudget.enabled when true or false;
when null, with several replicas only.
*/}}
{{- define "pulse.pdbEnabled" -}}
{{- $enabled := .Values.podDisruptionBudget.enabled }}
{{- if kindIs "bool" $enabled }}
{{- if $enabled }}true{{- end }}
{{- else if gt (int .Values.replicaCount) 1 }}true
{{- end }}
{{- end }}

{{/*
The namespaces Kubernetes discovery watches, as a JSON list: discovery.kubernetes.namespaces,
or the release's own.
*/}}
{{- define "pulse.discoveryNamespaces" -}}
{{- $namespaces := .Values.discovery.kubernetes.namespaces | default (list .Release.Namespace) }}
{{- toJson (uniq $namespaces) }}
{{- end }}
