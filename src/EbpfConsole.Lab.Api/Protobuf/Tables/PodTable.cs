namespace EbpfConsole.Lab.Api.Protobuf.Tables;

/// <summary>
/// core/v1 Pod basics: what `kubectl run` and `kubectl create deployment` send, plus the common volume, env
/// and scheduling fields (k8s.io/api core/v1/generated.proto; JSON names and omitempty from types.go). Probes,
/// security contexts, affinity and the rarer volume sources are left out: they are refused by name.
/// </summary>
internal static class PodTable
{
    public const string Text = """
        message v1.Pod
          1 metadata v1.ObjectMeta
          2 spec v1.PodSpec
          3 status v1.PodStatus

        message v1.PodTemplateSpec
          1 metadata v1.ObjectMeta
          2 spec v1.PodSpec

        message v1.PodSpec
          1 volumes []v1.Volume
          2 containers []v1.Container
          3 restartPolicy string
          4 terminationGracePeriodSeconds int64 keep
          5 activeDeadlineSeconds int64 keep
          6 dnsPolicy string
          7 nodeSelector map<string,string>
          8 serviceAccountName string
          9 serviceAccount string
          10 nodeName string
          11 hostNetwork bool
          12 hostPID bool
          13 hostIPC bool
          15 imagePullSecrets []v1.LocalObjectReference
          16 hostname string
          17 subdomain string
          19 schedulerName string
          20 initContainers []v1.Container
          21 automountServiceAccountToken bool keep
          22 tolerations []v1.Toleration
          24 priorityClassName string
          25 priority int32 keep
          27 shareProcessNamespace bool keep
          29 runtimeClassName string keep
          30 enableServiceLinks bool keep
          31 preemptionPolicy string keep
          32 overhead map<string,quantity>
          35 setHostnameAsFQDN bool keep
          37 hostUsers bool keep
          40 resources v1.ResourceRequirements
          41 hostnameOverride string keep

        message v1.PodStatus
          1 phase string
          3 message string
          4 reason string
          5 hostIP string
          6 podIP string
          7 startTime time
          9 qosClass string
          11 nominatedNodeName string
          14 resize string
          17 observedGeneration int64

        message v1.Container
          1 name string keep
          2 image string
          3 command []string
          4 args []string
          5 workingDir string
          6 ports []v1.ContainerPort
          7 env []v1.EnvVar
          8 resources v1.ResourceRequirements
          9 volumeMounts []v1.VolumeMount
          13 terminationMessagePath string
          14 imagePullPolicy string
          16 stdin bool
          17 stdinOnce bool
          18 tty bool
          19 envFrom []v1.EnvFromSource
          20 terminationMessagePolicy string
          24 restartPolicy string keep

        message v1.ContainerPort
          1 name string
          2 hostPort int32
          3 containerPort int32 keep
          4 protocol string
          5 hostIP string

        message v1.EnvVar
          1 name string keep
          2 value string
          3 valueFrom v1.EnvVarSource

        message v1.EnvVarSource
          1 fieldRef v1.ObjectFieldSelector
          2 resourceFieldRef v1.ResourceFieldSelector
          3 configMapKeyRef v1.ConfigMapKeySelector
          4 secretKeyRef v1.SecretKeySelector

        message v1.ObjectFieldSelector
          1 apiVersion string
          2 fieldPath string keep

        message v1.ResourceFieldSelector
          1 containerName string
          2 resource string keep
          3 divisor quantity

        message v1.ConfigMapKeySelector
          1 localObjectReference v1.LocalObjectReference inline
          2 key string keep
          3 optional bool keep

        message v1.SecretKeySelector
          1 localObjectReference v1.LocalObjectReference inline
          2 key string keep
          3 optional bool keep

        message v1.EnvFromSource
          1 prefix string
          2 configMapRef v1.ConfigMapEnvSource
          3 secretRef v1.SecretEnvSource

        message v1.ConfigMapEnvSource
          1 localObjectReference v1.LocalObjectReference inline
          2 optional bool keep

        message v1.SecretEnvSource
          1 localObjectReference v1.LocalObjectReference inline
          2 optional bool keep

        message v1.LocalObjectReference
          1 name string

        message v1.ResourceRequirements
          1 limits map<string,quantity>
          2 requests map<string,quantity>
          3 claims []v1.ResourceClaim

        message v1.ResourceClaim
          1 name string keep
          2 request string

        message v1.VolumeMount
          1 name string keep
          2 readOnly bool
          3 mountPath string keep
          4 subPath string
          5 mountPropagation string keep
          6 subPathExpr string
          7 recursiveReadOnly string keep

        message v1.Toleration
          1 key string
          2 operator string
          3 value string
          4 effect string
          5 tolerationSeconds int64 keep

        message v1.Volume
          1 name string keep
          2 volumeSource v1.VolumeSource inline

        message v1.VolumeSource
          1 hostPath v1.HostPathVolumeSource
          2 emptyDir v1.EmptyDirVolumeSource
          6 secret v1.SecretVolumeSource
          10 persistentVolumeClaim v1.PersistentVolumeClaimVolumeSource
          19 configMap v1.ConfigMapVolumeSource

        message v1.HostPathVolumeSource
          1 path string keep
          2 type string keep

        message v1.EmptyDirVolumeSource
          1 medium string
          2 sizeLimit quantity keep

        message v1.SecretVolumeSource
          1 secretName string
          2 items []v1.KeyToPath
          3 defaultMode int32 keep
          4 optional bool keep

        message v1.ConfigMapVolumeSource
          1 localObjectReference v1.LocalObjectReference inline
          2 items []v1.KeyToPath
          3 defaultMode int32 keep
          4 optional bool keep

        message v1.PersistentVolumeClaimVolumeSource
          1 claimName string keep
          2 readOnly bool

        message v1.KeyToPath
          1 key string keep
          2 path string keep
          3 mode int32 keep
        """;
}
