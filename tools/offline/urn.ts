/**
 * URNs as the Pulumi engine builds them, so that what the offline runs record is what a stack's state
 * holds: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the
 * parent's qualified type, `$`, and the resource's own type (the root stack is left out).
 */

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The parts of a URN (a name may itself contain `::`). */
function parseUrn(urn: string): {
  stack: string;
  project: string;
  qualifiedType: string;
  name: string;
} {
  const [head = "", project = "", qualifiedType = "", ...name] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project, qualifiedType, name: name.join("::") };
}

/** The URN of a resource of `type` named `name` under `parentUrn` ("" for none). */
export function engineUrn(
  stack: string,
  project: string,
  parentUrn: string,
  type: string,
  name: string,
): string {
  const parentType = parentUrn ? parseUrn(parentUrn).qualifiedType : "";
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The last type of a qualified type: `a$b$c` → `c`. */
function ownType(qualifiedType: string): string {
  return qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
}

/**
 * The URN an alias of a child names when its parent was known by `parentAlias`: the engine gives
 * every child of an aliased parent this alias, with the parent's old name in place of its own at the
 * start of the child's name.
 */
export function inheritedAlias(child: { urn: string }, parentUrn: string, parentAlias: string): string {
  const { stack, project, qualifiedType, name } = parseUrn(child.urn);
  const parentName = parseUrn(parentUrn).name;
  const aliasName = name.startsWith(parentName)
    ? parseUrn(parentAlias).name + name.slice(parentName.length)
    : name;
  return engineUrn(stack, project, parentAlias, ownType(qualifiedType), aliasName);
}
