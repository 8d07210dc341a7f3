namespace EbpfConsole.Lab.Api.Tests.Protobuf;

/// <summary>
/// Request bodies captured once from the real kubectl 1.32 (`kubectl create … --dry-run=server -v=9` logs the
/// protobuf body as a hex dump), each with the JSON kubectl itself prints for the same command
/// (`--dry-run=client -o json`, without the "creationTimestamp": null Go writes for the zero time).
/// </summary>
internal static class KubectlBodies
{
    /// <summary>kubectl create namespace demo.</summary>
    public static readonly (string Hex, string Json) Namespace = (
        "6b3873000a0f0a02763112094e616d657370616365121c0a140a0464656d6f12001a0022002a0032003800420012001a020a001a002200",
        """{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"demo"},"spec":{},"status":{}}""");

    /// <summary>kubectl create configmap x --from-literal=a=b --from-literal=c=d -n default.</summary>
    public static readonly (string Hex, string Json) ConfigMap = (
        "6b3873000a0f0a0276311209436f6e6669674d6170122a0a180a017812001a0764656661756c7422002a0032003800420012060a016112016212060a01631201641a002200",
        """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","namespace":"default"},"data":{"a":"b","c":"d"}}""");

    /// <summary>kubectl create configmap files --from-file=blob=FILE (bytes 00 01 ff "bin") --from-literal=text=hello -n default.</summary>
    public static readonly (string Hex, string Json) BinaryConfigMap = (
        "6b3873000a0f0a0276311209436f6e6669674d6170123d0a1c0a0566696c657312001a0764656661756c7422002a00320038004200120d0a0474657874120568656c6c6f1a0e0a04626c6f6212060001ff62696e1a002200",
        """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"files","namespace":"default"},"data":{"text":"hello"},"binaryData":{"blob":"AAH/Ymlu"}}""");

    /// <summary>kubectl create deployment web --image=nginx --port=80 --replicas=2 -n default.</summary>
    public static readonly (string Hex, string Json) Deployment = (
        "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bf010a260a0377656212001a0764656661756c7422002a003200380042005a0a0a0361707012037765621286010802120c0a0a0a0361707012037765621a6c0a1c0a0012001a0022002a003200380042005a0a0a036170701203776562124c122e0a056e67696e7812056e67696e782a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
        """{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}},"strategy":{}},"status":{}}""");

    /// <summary>kubectl create service nodeport web --tcp=80:80 --node-port=30605 -n default.</summary>
    public static readonly (string Hex, string Json) NodePortService = (
        "6b3873000a0d0a027631120753657276696365126e0a260a0377656212001a0764656661756c7422002a003200380042005a0a0a03617070120377656212400a1a0a0538302d3830120354435018502206080010501a00288def01120a0a0361707012037765621a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200",
        """{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},"spec":{"ports":[{"name":"80-80","protocol":"TCP","port":80,"targetPort":80,"nodePort":30605}],"selector":{"app":"web"},"type":"NodePort"},"status":{"loadBalancer":{}}}""");

    /// <summary>kubectl create service clusterip api --tcp=443:https -n default (a named target port).</summary>
    public static readonly (string Hex, string Json) ClusterIpService = (
        "6b3873000a0d0a02763112075365727669636512770a260a0361706912001a0764656661756c7422002a003200380042005a0a0a03617070120361706912490a220a093434332d6874747073120354435018bb03220b080110001a0568747470732800120a0a0361707012036170691a002209436c757374657249503a00420052005a00600068001a020a001a002200",
        """{"kind":"Service","apiVersion":"v1","metadata":{"name":"api","namespace":"default","labels":{"app":"api"}},"spec":{"ports":[{"name":"443-https","protocol":"TCP","port":443,"targetPort":"https"}],"selector":{"app":"api"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}""");

    public static IEnumerable<object[]> All() =>
        new[] { Namespace, ConfigMap, BinaryConfigMap, Deployment, NodePortService, ClusterIpService }.Select(b => new object[] { b.Hex, b.Json });
}
