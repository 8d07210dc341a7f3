using System.Globalization;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Lab;

/// <summary>Where and what to capture on the lab: the natural points of a NodePort connection.</summary>
public static class LabCapture
{
    /// <summary>node-1's uplink (ingress), node-2's uplink (backend), the pod's cali interface on node-2.</summary>
    public static IReadOnlyList<CapturePoint> Points { get; } =
    [
        new(LabTopology.IngressNode.Name, LabTopology.HostInterface),
        new(LabTopology.BackendNode.Name, LabTopology.HostInterface),
        new(LabTopology.BackendNode.Name, LabTopology.PodHostVeth),
    ];

    /// <summary>NodePort traffic, the VXLAN tunnel, the pod's own traffic and ICMP; never the SSH sessions.</summary>
    public static string Filter { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"tcp port {LabTopology.NodePort} or udp port {LabTopology.VxlanPort} or host {LabTopology.Pod.Ip} or icmp");
}
