namespace EbpfConsole.Lab.Api.Protobuf.Tables;

/// <summary>
/// apps/v1 Deployment, autoscaling/v1 Scale and policy/v1 Eviction (k8s.io/api apps/v1, autoscaling/v1 and
/// policy/v1 generated.proto; JSON names and omitempty from types.go). Format: see <see cref="ProtoTable"/>.
/// </summary>
internal static class AppsTable
{
    public const string Text = """
        message v1.Deployment
          1 metadata v1.ObjectMeta
          2 spec v1.DeploymentSpec
          3 status v1.DeploymentStatus

        message v1.DeploymentSpec
          1 replicas int32 keep
          2 selector v1.LabelSelector
          3 template v1.PodTemplateSpec
          4 strategy v1.DeploymentStrategy
          5 minReadySeconds int32
          6 revisionHistoryLimit int32 keep
          7 paused bool
          9 progressDeadlineSeconds int32 keep

        message v1.DeploymentStrategy
          1 type string
          2 rollingUpdate v1.RollingUpdateDeployment

        message v1.RollingUpdateDeployment
          1 maxUnavailable intstr keep
          2 maxSurge intstr keep

        message v1.DeploymentStatus
          1 observedGeneration int64
          2 replicas int32
          3 updatedReplicas int32
          4 availableReplicas int32
          5 unavailableReplicas int32
          6 conditions []v1.DeploymentCondition
          7 readyReplicas int32
          8 collisionCount int32 keep
          9 terminatingReplicas int32 keep

        message v1.DeploymentCondition
          1 type string keep
          2 status string keep
          4 reason string
          5 message string
          6 lastUpdateTime time
          7 lastTransitionTime time

        message v1.Scale
          1 metadata v1.ObjectMeta
          2 spec v1.ScaleSpec
          3 status v1.ScaleStatus

        message v1.ScaleSpec
          1 replicas int32 keep

        message v1.ScaleStatus
          1 replicas int32 keep
          2 selector string

        message v1.Eviction
          1 metadata v1.ObjectMeta
          2 deleteOptions v1.DeleteOptions
        """;
}
