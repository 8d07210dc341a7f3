using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EbpfConsole.Nodes.KnownHosts;

/// <summary>Helpers for SSH public key blobs (the base64 field of known_hosts and *.pub files).</summary>
public static class SshKeys
{
    /// <summary>OpenSSH's fingerprint: <c>SHA256:</c> + unpadded base64 of SHA-256 over the key blob.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> keyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>The key type written inside the blob (its first SSH string, e.g. <c>ssh-rsa</c>), or null when malformed.</summary>
    public static string? KeyTypeOf(ReadOnlySpan<byte> keyBlob)
    {
        if (keyBlob.Length < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(keyBlob);
        if (length == 0 || length > 64 || length > keyBlob.Length - 4)
        {
            return null;
        }

        var name = keyBlob.Slice(4, (int)length);
        foreach (var b in name)
        {
            if (b is < 0x21 or > 0x7e)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(name);
    }

    /// <summary>
    /// Maps a host key algorithm name to the key type known_hosts stores: the RSA signature algorithms
    /// <c>rsa-sha2-256</c>/<c>rsa-sha2-512</c> all use an <c>ssh-rsa</c> key; other names are key types already.
    /// </summary>
    public static string NormalizeKeyType(string algorithmOrKeyType) => algorithmOrKeyType switch
    {
        "rsa-sha2-256" or "rsa-sha2-512" => "ssh-rsa",
        "rsa-sha2-256-cert-v01@openssh.com" or "rsa-sha2-512-cert-v01@openssh.com" => "ssh-rsa-cert-v01@openssh.com",
        _ => algorithmOrKeyType,
    };

    /// <summary>
    /// Whether a key type or host key algorithm is an OpenSSH certificate (<c>*-cert-v01@openssh.com</c>), which the
    /// console does not verify: it supports plain host keys only, no host certificate authorities.
    /// </summary>
    public static bool IsCertificate(string algorithmOrKeyType)
    {
        ArgumentNullException.ThrowIfNull(algorithmOrKeyType);
        return algorithmOrKeyType.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal)
            || algorithmOrKeyType.EndsWith("-cert-v00@openssh.com", StringComparison.Ordinal);
    }

    /// <summary>
    /// Key types that OpenSSH treats as the same kind when deciding "changed" versus "new key type":
    /// every ECDSA curve is one kind, as in OpenSSH's sshkey_type_plain.
    /// </summary>
    internal static string KindOf(string keyType)
    {
        var type = NormalizeKeyType(keyType);
        return type.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) ? "ecdsa" : type;
    }
}
