// OCA 18.0 prettier settings; the XML plugin is installed by set-up in .work/node
/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml", {paths: [__dirname + "/.work/node"]})],
    bracketSpacing: false,
    printWidth: 100,
    proseWrap: "always",
    semi: true,
    tabWidth: 4,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
