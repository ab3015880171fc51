using System.Reflection;
using Bulwark.Node.Configuration;
using Bulwark.Node.Configuration.Binding;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Node.Tests.Configuration.Binding;

public class ConvertibleValuesTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("0x10")]
    [InlineData("1.5")]
    [InlineData("1,000")]
    public void Whole_numbers_are_plain_invariant_integers(string text)
    {
        Assert.Equal($"'{text}' is not a whole number", ConvertibleValues.Problem(typeof(int), "Port", text));
        Assert.Equal($"'{text}' is not a whole number", ConvertibleValues.Problem(typeof(long), "MaxMessageBytes", text));
    }

    [Theory]
    [InlineData("25")]
    [InlineData(" 25 ")]
    [InlineData("-1")]
    public void Whole_numbers_may_be_signed_and_padded(string text) =>
        Assert.Null(ConvertibleValues.Problem(typeof(int), "Port", text));

    [Fact]
    public void Durations_are_numbers_of_seconds()
    {
        Assert.Null(ConvertibleValues.Problem(typeof(double), "DrainSeconds", "0.5"));
        Assert.Null(ConvertibleValues.Problem(typeof(double), "DrainSeconds", "1e3"));
        Assert.Equal("'20s' is not a number of seconds", ConvertibleValues.Problem(typeof(double), "DrainSeconds", "20s"));
        Assert.Equal("'1,5' is not a number of seconds", ConvertibleValues.Problem(typeof(double), "DrainSeconds", "1,5"));
        Assert.Equal("'x' is not a number", ConvertibleValues.Problem(typeof(double), "Ratio", "x"));
    }

    [Fact]
    public void Switches_are_true_or_false_in_any_case()
    {
        Assert.Null(ConvertibleValues.Problem(typeof(bool), "Enabled", "True"));
        Assert.Null(ConvertibleValues.Problem(typeof(bool), "Enabled", "false"));
        Assert.Equal("'yes' is not true or false", ConvertibleValues.Problem(typeof(bool), "Enabled", "yes"));
    }

    [Fact]
    public void Text_and_lists_take_any_value()
    {
        Assert.Null(ConvertibleValues.Problem(typeof(string), "Hostname", "anything"));
        Assert.Null(ConvertibleValues.Problem(typeof(SettingList), "Roles", "a,b"));
    }

    [Fact]
    public void Keys_inside_sections_and_keyed_entries_are_named_in_full()
    {
        Assert.Equal("configuration error: Smtp:Tls:HandshakeTimeoutSeconds: 'x' is not a number of seconds",
            ErrorFor(("Smtp:Tls:HandshakeTimeoutSeconds", "x")));
        Assert.Equal("configuration error: Domains:7:CallAhead:Port: 'x' is not a whole number",
            ErrorFor(("Domains:7:Name", "example.test"), ("Domains:7:CallAhead:Port", "x")));
        Assert.Equal("configuration error: Content:Recipients:a:UseScannerAction: 'x' is not true or false",
            ErrorFor(("Content:Recipients:a:UseScannerAction", "x")));
    }

    [Fact]
    public void A_value_on_a_section_key_does_not_hide_a_bad_value_below_it() =>
        Assert.Equal("configuration error: Smtp:Tls:ReloadCheckSeconds: 'x' is not a number of seconds",
            ErrorFor(("Smtp:Tls", "on"), ("Smtp:Tls:ReloadCheckSeconds", "x")));

    [Fact]
    public void Nothing_is_said_about_a_configuration_that_converts() =>
        ConvertibleValues.Check<BulwarkOptions>(TestSettings.Configuration(("Smtp:Port", "25"), ("Smtp:Tls:HandshakeTimeoutSeconds", "1.5")));

    /// <summary>Every number and switch of the options, given a word: the loader names that key,
    /// and never lets the binder's own exception through.</summary>
    [Theory]
    [MemberData(nameof(ScalarKeys))]
    public void Every_number_and_switch_given_a_word_names_its_key(string key)
    {
        var error = Assert.Throws<ConfigurationError>(() => BulwarkSettingsLoader.Load(TestSettings.Configuration(
            ("Domains:0:Name", "example.test"), ("Content:Domains:0:Name", "example.test"), ("Content:Recipients:0:Address", "a@example.test"),
            (key, "word"))));
        Assert.Equal(key, error.Key);
        Assert.Matches("^configuration error: [A-Za-z0-9:]+: 'word' is not (a whole number|a number of seconds|true or false)$", error.Message);
    }

    public static TheoryData<string> ScalarKeys()
    {
        var keys = new TheoryData<string>();
        foreach (var key in ScalarKeysOf(typeof(BulwarkOptions), "")) keys.Add(key);
        return keys;
    }

    private static IEnumerable<string> ScalarKeysOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var key = prefix + property.Name;
            if (propertyType == typeof(int) || propertyType == typeof(long) || propertyType == typeof(double) || propertyType == typeof(bool))
                yield return key;
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>))
                foreach (var entryKey in ScalarKeysOf(propertyType.GetGenericArguments()[1], key + ":0:")) yield return entryKey;
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(SettingList))
                foreach (var nestedKey in ScalarKeysOf(propertyType, key + ":")) yield return nestedKey;
        }
    }

    private static string ErrorFor(params (string Key, string? Value)[] values) =>
        Assert.Throws<ConfigurationError>(() => ConvertibleValues.Check<BulwarkOptions>(TestSettings.Configuration(values))).Message;
}
